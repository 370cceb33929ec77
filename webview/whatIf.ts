/**
 * The what-if form (VS Code Elements), rendered from the generic contract the host sends with the
 * trace: one group per model section, one control per field kind. Every committed change is checked
 * with the contract's own checker (sim/whatIf.ts; the host re-checks with its own copy) and, when
 * valid, posted as `rerun`; invalid fields are marked with the message. Without a contract from the
 * host the form is shown disabled.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import type { VscodeButton } from '@vscode-elements/elements/dist/vscode-button/vscode-button.js';
import type { VscodeCheckbox } from '@vscode-elements/elements/dist/vscode-checkbox/vscode-checkbox.js';
import type { VscodeSingleSelect } from '@vscode-elements/elements/dist/vscode-single-select/vscode-single-select.js';
import type { VscodeTextfield } from '@vscode-elements/elements/dist/vscode-textfield/vscode-textfield.js';
import type { WhatIfFormData } from '../src/protocol';
import {
  checkWhatIfValues,
  type CheckedWhatIf,
  type WhatIfContract,
  type WhatIfField,
  type WhatIfProblem,
  type WhatIfValue,
  type WhatIfValues,
  type WhatIfWindow,
  type WindowsField,
} from '../src/sim/whatIf';
import { h } from './dom';

export interface WhatIfCallbacks {
  onRerun(values: WhatIfValues): void;
  onSave(values: WhatIfValues): void;
}

/** One rendered field: reads and writes its value, and shows its own problems. */
interface Control {
  readonly field: WhatIfField;
  /** The wrapper placed in the form. */
  readonly el: HTMLElement;
  read(): unknown;
  write(v: WhatIfValue | undefined): void;
  setDisabled(off: boolean): void;
  /** Marks the control with the problems whose path starts with the field id. */
  show(problems: WhatIfProblem[]): void;
}

const DEBOUNCE_MS = 250;

export class WhatIfForm {
  readonly el: HTMLElement;
  private readonly body: HTMLDivElement;
  private readonly runButton: VscodeButton;
  private readonly saveButton: VscodeButton;
  private readonly status: HTMLDivElement;
  private readonly note: HTMLParagraphElement;
  private contract: WhatIfContract | undefined;
  private contractKey = '';
  private controls: Control[] = [];
  private enabled = false;
  private busy = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastPosted = '';

  constructor(private readonly cb: WhatIfCallbacks) {
    this.body = h('div', { class: 'ktl-whatif-body' });
    this.runButton = h('vscode-button', { id: 'wf-run' }, 'Re-run') as VscodeButton;
    this.runButton.addEventListener('click', () => this.submit(true));
    this.saveButton = h('vscode-button', { secondary: true, id: 'wf-save' }, 'Save scenario…') as VscodeButton;
    this.saveButton.addEventListener('click', () => {
      const checked = this.read();
      if (checked.ok) this.cb.onSave(checked.values);
    });
    this.status = h('div', { class: 'ktl-form-status', id: 'wf-status', role: 'status' });
    this.note = h('p', { class: 'ktl-muted', id: 'wf-note' }, 'This trace did not come from what-if parameters, so it cannot be re-run from here.');

    this.el = h(
      'form',
      { class: 'ktl-whatif', id: 'ktl-whatif', 'aria-labelledby': 'ktl-whatif-title', novalidate: true },
      h('div', { class: 'ktl-side-title', id: 'ktl-whatif-title' }, 'What if…'),
      this.note,
      this.body,
      h('div', { class: 'ktl-form-actions' }, this.runButton, this.saveButton),
      this.status,
    );
    this.el.addEventListener('submit', (e) => {
      e.preventDefault();
      this.submit(true);
    });
    this.setForm(undefined);
  }

  /** Shows the host's form and values (undefined: disable it, keeping what was shown). */
  setForm(form: WhatIfFormData | undefined): void {
    this.enabled = form !== undefined;
    this.note.hidden = this.enabled;
    if (form) {
      const key = JSON.stringify({ fields: form.fields, checks: form.checks });
      if (key !== this.contractKey) this.build({ fields: form.fields, checks: form.checks }, key);
      for (const c of this.controls) c.write(form.values[c.field.id]);
      this.lastPosted = JSON.stringify(form.values);
      this.showProblems([]);
    }
    this.applyDisabled();
  }

  setBusy(on: boolean): void {
    this.busy = on;
    this.status.textContent = on ? 'Re-running the simulation…' : '';
    this.applyDisabled();
  }

  /** The form's values, checked. */
  read(): CheckedWhatIf {
    if (!this.contract) return { ok: false, problems: [{ path: '', message: 'no what-if form from the host' }] };
    const raw = Object.fromEntries(this.controls.map((c) => [c.field.id, c.read()]));
    const checked = checkWhatIfValues(this.contract.fields, raw, this.contract.checks);
    this.showProblems(checked.ok ? [] : checked.problems);
    return checked;
  }

  private build(contract: WhatIfContract, key: string): void {
    this.contract = contract;
    this.contractKey = key;
    this.controls = contract.fields.map((f) => this.control(f));
    // One group per section, in the order sections first appear; short text fields pair up in a grid.
    const sections = new Map<string, Control[]>();
    for (const c of this.controls) sections.set(c.field.section, [...(sections.get(c.field.section) ?? []), c]);
    const groups = [...sections].map(([title, controls], i) => {
      const titleId = `wf-section-${i}`;
      const group = h('div', { class: 'ktl-form-section', role: 'group', 'aria-labelledby': titleId }, h('div', { class: 'ktl-form-section-title', id: titleId }, title));
      let grid: HTMLDivElement | undefined;
      controls.forEach((c, j) => {
        const compact = (k: WhatIfField['kind'] | undefined): boolean => k === 'duration' || k === 'integer';
        if (compact(c.field.kind) && (grid !== undefined || compact(controls[j + 1]?.field.kind))) {
          grid ??= group.appendChild(h('div', { class: 'ktl-field-grid' }));
          grid.append(c.el);
        } else {
          grid = undefined;
          group.append(c.el);
        }
      });
      return group;
    });
    this.body.replaceChildren(...groups);
  }

  private control(f: WhatIfField): Control {
    const errorEl = h('div', { class: 'ktl-field-error', id: `wf-${f.id}-error`, role: 'alert' });
    const help = h('div', { class: 'ktl-field-help', id: `wf-${f.id}-help` }, f.help);
    const ownProblems = (problems: WhatIfProblem[]): WhatIfProblem[] => problems.filter((p) => p.path === f.id || p.path.startsWith(`${f.id}[`) || p.path.startsWith(`${f.id}.`));
    const showErrors = (messages: string[]): void => {
      errorEl.textContent = messages.join(' ');
      errorEl.hidden = messages.length === 0;
    };
    const wrap = (...children: Array<HTMLElement | null>): HTMLElement => h('div', { class: 'ktl-field' }, ...children, help, errorEl);
    const label = (): HTMLElement => h('label', { class: 'ktl-field-label', for: `wf-${f.id}` }, f.label);

    switch (f.kind) {
      case 'duration':
      case 'optionalDuration':
      case 'integer': {
        const numeric = f.kind === 'integer';
        const input = h('vscode-textfield', {
          id: `wf-${f.id}`,
          label: f.label,
          type: numeric ? 'number' : 'text',
          placeholder: f.placeholder,
          'aria-describedby': `wf-${f.id}-help`,
        }) as VscodeTextfield;
        input.addEventListener('change', () => this.changed());
        return {
          field: f,
          el: wrap(label(), input),
          read: () => {
            const v = input.value.trim();
            // A number field posts a number when it holds one, so the checker can say what is wrong otherwise.
            return numeric && v !== '' && Number.isFinite(Number(v)) ? Number(v) : v;
          },
          write: (v) => void (input.value = v === undefined ? '' : String(v)),
          setDisabled: (off) => void (input.disabled = off),
          show: (problems) => {
            const mine = ownProblems(problems);
            input.invalid = mine.length > 0;
            showErrors(mine.map((p) => p.message));
          },
        };
      }
      case 'boolean': {
        const box = h('vscode-checkbox', { id: `wf-${f.id}`, label: f.label, 'aria-describedby': `wf-${f.id}-help` }) as VscodeCheckbox;
        box.addEventListener('change', () => this.changed());
        return {
          field: f,
          el: wrap(box),
          read: () => box.checked,
          write: (v) => void (box.checked = v === true),
          setDisabled: (off) => void (box.disabled = off),
          show: (problems) => showErrors(ownProblems(problems).map((p) => p.message)),
        };
      }
      case 'choice': {
        const select = h(
          'vscode-single-select',
          { id: `wf-${f.id}`, 'aria-label': f.label, 'aria-describedby': `wf-${f.id}-help` },
          ...f.choices.map((c) => h('vscode-option', { value: c.value, description: c.description }, c.label)),
        ) as VscodeSingleSelect;
        select.addEventListener('change', () => this.changed());
        return {
          field: f,
          el: wrap(label(), select),
          read: () => select.value,
          write: (v) => void (select.value = typeof v === 'string' ? v : ''),
          setDisabled: (off) => select.toggleAttribute('disabled', off),
          show: (problems) => showErrors(ownProblems(problems).map((p) => p.message)),
        };
      }
      case 'windows':
        return this.windowsControl(f, wrap, ownProblems, showErrors);
    }
  }

  private windowsControl(
    f: WindowsField,
    wrap: (...children: HTMLElement[]) => HTMLElement,
    ownProblems: (problems: WhatIfProblem[]) => WhatIfProblem[],
    showErrors: (messages: string[]) => void,
  ): Control {
    interface Row {
      el: HTMLDivElement;
      from: VscodeTextfield;
      to: VscodeTextfield;
      remove: VscodeButton;
    }
    const item = f.itemLabel;
    const labelId = `wf-${f.id}-label`;
    const list = h('div', { class: 'ktl-outages', id: `wf-${f.id}`, role: 'list', 'aria-labelledby': labelId, 'aria-describedby': `wf-${f.id}-help` });
    const add = h('vscode-button', { secondary: true, id: `wf-${f.id}-add` }, `+ Add ${item.toLowerCase()}`) as VscodeButton;
    let rows: Row[] = [];
    let disabled = false;
    const addRow = (w: WhatIfWindow, focus: boolean): void => {
      const n = rows.length + 1;
      const from = h('vscode-textfield', { class: 'wf-window-from', label: `${item} ${n} from`, placeholder: 'from' }) as VscodeTextfield;
      const to = h('vscode-textfield', { class: 'wf-window-to', label: `${item} ${n} to`, placeholder: 'to' }) as VscodeTextfield;
      from.value = w.from;
      to.value = w.to;
      from.addEventListener('change', () => this.changed());
      to.addEventListener('change', () => this.changed());
      const remove = h('vscode-button', { secondary: true, class: 'wf-window-remove', 'aria-label': `Remove ${item.toLowerCase()} ${n}` }, 'Remove') as VscodeButton;
      const row: Row = { el: h('div', { class: 'ktl-outage-row', role: 'listitem' }, from, h('span', { class: 'ktl-muted' }, '→'), to, remove), from, to, remove };
      for (const c of [from, to, remove]) c.disabled = disabled;
      remove.addEventListener('click', () => {
        row.el.remove();
        rows = rows.filter((r) => r !== row);
        this.changed();
      });
      rows.push(row);
      list.append(row.el);
      if (focus) requestAnimationFrame(() => from.focus());
    };
    add.addEventListener('click', () => {
      addRow(f.newWindow, true);
      this.changed();
    });
    /** "outages[1].to" → "Outage 2 to". */
    const rowName = (path: string): string => {
      const m = /^[^[]+\[(\d+)\](?:\.(\w+))?/.exec(path);
      return m ? `${item} ${Number(m[1]) + 1}${m[2] ? ` ${m[2]}` : ''}` : path;
    };
    return {
      field: f,
      el: wrap(h('div', { class: 'ktl-field-label', id: labelId }, f.label), list, add),
      read: () => rows.map((r) => ({ from: r.from.value.trim(), to: r.to.value.trim() })),
      write: (v) => {
        for (const r of rows) r.el.remove();
        rows = [];
        if (Array.isArray(v)) for (const w of v) addRow(w, false);
      },
      setDisabled: (off) => {
        disabled = off;
        add.disabled = off;
        for (const r of rows) for (const c of [r.from, r.to, r.remove]) c.disabled = off;
      },
      show: (problems) => {
        const mine = ownProblems(problems);
        showErrors(mine.map((p) => (p.path.startsWith(`${f.id}[`) ? `${rowName(p.path)}: ${p.message}` : p.message)));
        rows.forEach((r, i) => {
          r.from.invalid = mine.some((p) => p.path === `${f.id}[${i}].from` || p.path === `${f.id}[${i}]`);
          r.to.invalid = mine.some((p) => p.path === `${f.id}[${i}].to`);
        });
      },
    };
  }

  private applyDisabled(): void {
    const off = !this.enabled;
    for (const c of this.controls) c.setDisabled(off);
    this.saveButton.disabled = off;
    this.runButton.disabled = off || this.busy;
  }

  private changed(): void {
    if (!this.enabled) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.submit(false);
    }, DEBOUNCE_MS);
  }

  /** Checks and posts a re-run (unless nothing changed, for automatic submissions). */
  private submit(force: boolean): void {
    if (!this.enabled) return;
    const checked = this.read();
    if (!checked.ok) {
      this.status.textContent = `Not re-run: ${checked.problems.length} problem${checked.problems.length === 1 ? '' : 's'} in the form.`;
      return;
    }
    const key = JSON.stringify(checked.values);
    if (!force && key === this.lastPosted) return;
    this.lastPosted = key;
    this.cb.onRerun(checked.values);
  }

  private showProblems(problems: WhatIfProblem[]): void {
    // A problem with the whole object (path "") is shown at the first field.
    const first = this.controls[0]?.field.id ?? '';
    const located = problems.map((p) => (p.path === '' ? { ...p, path: first } : p));
    for (const c of this.controls) c.show(located);
  }
}
