/**
 * Decodes the few Kubernetes protobuf request bodies clients send to the demo server. kubectl's typed
 * clients (`kubectl create token`, `kubectl auth whoami`) POST `application/vnd.kubernetes.protobuf`:
 * the 4-byte magic "k8s\0", then a runtime.Unknown {typeMeta, raw}, raw being the object's message.
 * Field numbers are those of k8s.io/api/authentication/v1/generated.proto and
 * k8s.io/apimachinery/pkg/apis/meta/v1/generated.proto. Responses are always JSON (clients decode by the
 * response's Content-Type).
 */
import { badRequest } from './status';

type Field = { no: number; wire: number; value: bigint | Buffer };

function readVarint(buf: Buffer, pos: number): [bigint, number] {
  let result = 0n;
  let shift = 0n;
  for (;;) {
    if (pos >= buf.length) throw new Error('truncated varint');
    const b = buf[pos++] as number;
    result |= BigInt(b & 0x7f) << shift;
    if ((b & 0x80) === 0) return [result, pos];
    shift += 7n;
    if (shift > 63n) throw new Error('varint too long');
  }
}

function fields(buf: Buffer): Field[] {
  const out: Field[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const [key, p1] = readVarint(buf, pos);
    pos = p1;
    const no = Number(key >> 3n);
    const wire = Number(key & 7n);
    if (wire === 0) {
      const [v, p2] = readVarint(buf, pos);
      out.push({ no, wire, value: v });
      pos = p2;
    } else if (wire === 2) {
      const [l, p2] = readVarint(buf, pos);
      const end = p2 + Number(l);
      if (end > buf.length) throw new Error('truncated field');
      out.push({ no, wire, value: buf.subarray(p2, end) });
      pos = end;
    } else if (wire === 1) {
      out.push({ no, wire, value: buf.subarray(pos, pos + 8) });
      pos += 8;
    } else if (wire === 5) {
      out.push({ no, wire, value: buf.subarray(pos, pos + 4) });
      pos += 4;
    } else {
      throw new Error(`unsupported wire type ${wire}`);
    }
  }
  return out;
}

const bytesOf = (fs: Field[], no: number): Buffer | undefined => {
  const f = fs.find((x) => x.no === no && x.wire === 2);
  return f ? (f.value as Buffer) : undefined;
};
const strOf = (fs: Field[], no: number): string | undefined => bytesOf(fs, no)?.toString('utf8');
const strsOf = (fs: Field[], no: number): string[] => fs.filter((x) => x.no === no && x.wire === 2).map((x) => (x.value as Buffer).toString('utf8'));
const intOf = (fs: Field[], no: number): number | undefined => {
  const f = fs.find((x) => x.no === no && x.wire === 0);
  return f ? Number(BigInt.asIntN(64, f.value as bigint)) : undefined;
};

function objectMeta(buf: Buffer | undefined): Record<string, unknown> {
  if (!buf) return {};
  const fs = fields(buf);
  const m: Record<string, unknown> = {};
  const name = strOf(fs, 1);
  const namespace = strOf(fs, 3);
  const uid = strOf(fs, 5);
  if (name) m.name = name;
  if (namespace) m.namespace = namespace;
  if (uid) m.uid = uid;
  return m;
}

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

/** Decodes a protobuf body of the given kind into the JSON object the server handles. */
export function decodeProtobufBody(body: Buffer, expectedKind: string): Record<string, unknown> {
  try {
    if (body.length < 4 || !body.subarray(0, 4).equals(MAGIC)) throw new Error('missing the k8s protobuf magic prefix');
    const unknown = fields(body.subarray(4));
    const typeMeta = fields(bytesOf(unknown, 1) ?? Buffer.alloc(0));
    const kind = strOf(typeMeta, 2) ?? '';
    const apiVersion = strOf(typeMeta, 1) ?? '';
    if (kind !== expectedKind) throw new Error(`expected kind ${expectedKind}, got ${JSON.stringify(kind)}`);
    const obj = fields(bytesOf(unknown, 2) ?? Buffer.alloc(0));
    const metadata = objectMeta(bytesOf(obj, 1));
    const specFields = fields(bytesOf(obj, 2) ?? Buffer.alloc(0));
    const spec: Record<string, unknown> = {};
    if (expectedKind === 'TokenRequest') {
      const audiences = strsOf(specFields, 1);
      if (audiences.length) spec.audiences = audiences;
      const es = intOf(specFields, 4);
      if (es !== undefined) spec.expirationSeconds = es;
      const ref = bytesOf(specFields, 3);
      if (ref) {
        const rf = fields(ref);
        spec.boundObjectRef = { kind: strOf(rf, 1) ?? '', apiVersion: strOf(rf, 2) ?? '', name: strOf(rf, 3) ?? '', uid: strOf(rf, 4) ?? '' };
      }
    } else if (expectedKind === 'TokenReview') {
      spec.token = strOf(specFields, 1) ?? '';
      const audiences = strsOf(specFields, 2);
      if (audiences.length) spec.audiences = audiences;
    }
    return { kind, apiVersion, metadata, spec };
  } catch (err) {
    throw badRequest(`the object provided is unrecognized (must be of type ${expectedKind}): ${err instanceof Error ? err.message : String(err)}`);
  }
}
