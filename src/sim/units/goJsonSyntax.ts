/**
 * Where Go's encoding/json would reject a text, and with which of its messages, so that a plugin's
 * broken stdout gets the error client-go prints (SPEC C.5 step 6). One deliberate difference: Go
 * quotes the offending character; we give its byte offset instead, because the text is a plugin's
 * stdout and may hold a credential (nothing of stdout is ever echoed).
 */

type Context =
  | 'looking for beginning of value'
  | 'looking for beginning of object key string'
  | 'after object key'
  | 'after object key:value pair'
  | 'after array element'
  | 'after top-level value'
  | 'in string literal'
  | 'in string escape code'
  | 'in \\u hexadecimal character escape'
  | 'in numeric literal'
  | 'after decimal point in numeric literal'
  | 'in exponent of numeric literal';

class SyntaxFailure {
  constructor(readonly message: string) {}
}

const END = 'unexpected end of JSON input';

/** Go's message for the first syntax error in `text`, or undefined when Go would parse it. */
export function goJsonSyntaxError(text: string): string | undefined {
  const s = new Scanner(text);
  try {
    s.ws();
    s.value();
    s.ws();
    if (s.i < text.length) s.fail('after top-level value');
    return undefined;
  } catch (e) {
    if (e instanceof SyntaxFailure) return e.message;
    throw e;
  }
}

class Scanner {
  i = 0;
  constructor(private readonly t: string) {}

  fail(context: Context): never {
    if (this.i >= this.t.length) throw new SyntaxFailure(END);
    throw new SyntaxFailure(`invalid character at byte ${utf8Offset(this.t, this.i)} ${context}`);
  }

  private peek(): string {
    return this.t[this.i] ?? '';
  }

  ws(): void {
    while (this.i < this.t.length && ' \t\n\r'.includes(this.peek())) this.i++;
  }

  value(): void {
    const c = this.peek();
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return this.string();
    if (c === '-' || (c >= '0' && c <= '9')) return this.number();
    for (const lit of ['true', 'false', 'null']) {
      if (c === lit[0]) {
        this.i++;
        for (const want of lit.slice(1)) {
          if (this.peek() !== want) {
            if (this.i >= this.t.length) throw new SyntaxFailure(END);
            throw new SyntaxFailure(`invalid character at byte ${utf8Offset(this.t, this.i)} in literal ${lit} (expecting '${want}')`);
          }
          this.i++;
        }
        return;
      }
    }
    this.fail('looking for beginning of value');
  }

  private object(): void {
    this.i++;
    this.ws();
    if (this.peek() === '}') {
      this.i++;
      return;
    }
    for (;;) {
      if (this.peek() !== '"') this.fail('looking for beginning of object key string');
      this.string();
      this.ws();
      if (this.peek() !== ':') this.fail('after object key');
      this.i++;
      this.ws();
      this.value();
      this.ws();
      const c = this.peek();
      if (c === '}') {
        this.i++;
        return;
      }
      if (c !== ',') this.fail('after object key:value pair');
      this.i++;
      this.ws();
    }
  }

  private array(): void {
    this.i++;
    this.ws();
    if (this.peek() === ']') {
      this.i++;
      return;
    }
    for (;;) {
      this.value();
      this.ws();
      const c = this.peek();
      if (c === ']') {
        this.i++;
        return;
      }
      if (c !== ',') this.fail('after array element');
      this.i++;
      this.ws();
    }
  }

  private string(): void {
    this.i++;
    for (;;) {
      if (this.i >= this.t.length) throw new SyntaxFailure(END);
      const c = this.peek();
      if (c === '"') {
        this.i++;
        return;
      }
      if (c === '\\') {
        this.i++;
        const e = this.peek();
        if (e === 'u') {
          this.i++;
          for (let k = 0; k < 4; k++) {
            if (!/^[0-9a-fA-F]$/.test(this.peek())) this.fail('in \\u hexadecimal character escape');
            this.i++;
          }
          continue;
        }
        if (!'"\\/bfnrt'.includes(e) || e === '') this.fail('in string escape code');
        this.i++;
        continue;
      }
      if (c.charCodeAt(0) < 0x20) this.fail('in string literal');
      this.i++;
    }
  }

  private digits(): boolean {
    const start = this.i;
    while (this.peek() >= '0' && this.peek() <= '9' && this.peek() !== '') this.i++;
    return this.i > start;
  }

  private number(): void {
    if (this.peek() === '-') {
      this.i++;
      if (!(this.peek() >= '0' && this.peek() <= '9') || this.peek() === '') this.fail('in numeric literal');
    }
    if (this.peek() === '0') this.i++;
    else this.digits();
    if (this.peek() === '.') {
      this.i++;
      if (!this.digits()) this.fail('after decimal point in numeric literal');
    }
    if (this.peek() === 'e' || this.peek() === 'E') {
      this.i++;
      if (this.peek() === '+' || this.peek() === '-') this.i++;
      if (!this.digits()) this.fail('in exponent of numeric literal');
    }
  }
}

/** Byte offset (UTF-8) of the code unit index `i`, as Go counts. */
function utf8Offset(t: string, i: number): number {
  let n = 0;
  for (let k = 0; k < i; k++) {
    const c = t.charCodeAt(k);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      k++;
    } else n += 3;
  }
  return n;
}
