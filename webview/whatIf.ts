/**
 * The what-if form (VS Code Elements). Every committed change is validated with the protocol's own
 * checkWhatIfParams (the host runs the same check) and, when valid, posted as `rerun`; invalid fields
 * are marked with the message. Without params from the host the form is shown disabled.
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
import { checkWhatIfParams, WHAT_IF_LIMITS, type OutageWindow, type ParamProblem, type WhatIfParams } from '../src/protocol';
import { h } from './dom';

export interface WhatIfCallbacks {
  onRerun(params: WhatIfParams): void;
  onSave(params: WhatIfParams): void;
}

type FieldId = 'horizon' | 'seed' | 'syncFrequency' | 'expirationSeconds' | 'maxTokenExpiration';

interface OutageRow {
  el: HTMLDivElement;
  from: VscodeTextfield;
  to: VscodeTextfield;
}

const DEBOUNCE_MS = 250;

export class WhatIfForm {
  readonly el: HTMLElement;
  private readonly fields: Record<FieldId, VscodeTextfield>;
  private readonly errors = new Map<string, HTMLElement>();
  private readonly extend: VscodeCheckbox;
  private readonly refresher: VscodeSingleSelect;
  private readonly outageList: HTMLDivElement;
  private readonly addOutage: VscodeButton;
  private readonly runButton: VscodeButton;
  private readonly saveButton: VscodeButton;
  private readonly status: HTMLDivElement;
  private readonly note: HTMLParagraphElement;
  private outages: OutageRow[] = [];
  private enabled = false;
  private busy = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastPosted = '';

  constructor(private readonly cb: WhatIfCallbacks) {
    const text = (id: FieldId, label: string, hint: string, type: 'text' | 'number' = 'text'): VscodeTextfield => {
      const f = h('vscode-textfield', { id: `wf-${id}`, label, type, placeholder: hint }) as VscodeTextfield;
      f.addEventListener('change', () => this.changed());
      return f;
    };
    this.fields = {
      horizon: text('horizon', 'Horizon', 'e.g. 6h'),
      seed: text('seed', 'Seed', 'integer ≥ 0', 'number'),
      syncFrequency: text('syncFrequency', 'Sync frequency', 'e.g. 1m'),
      expirationSeconds: text('expirationSeconds', 'Token lifetime (expirationSeconds)', `${WHAT_IF_LIMITS.expirationSecondsMin}…`, 'number'),
      maxTokenExpiration: text('maxTokenExpiration', 'Max token expiration', 'empty = no cap'),
    };
    this.extend = h('vscode-checkbox', { id: 'wf-extendTokenExpiration', label: 'Extend token expiration (3607 s → 1 year)' }) as VscodeCheckbox;
    this.extend.addEventListener('change', () => this.changed());
    this.refresher = h(
      'vscode-single-select',
      { id: 'wf-refresher', 'aria-label': 'Refresher policy' },
      h('vscode-option', { value: 'none', description: 'Only the kubelet refreshes' }, 'none'),
      h('vscode-option', { value: 'calico', description: "Calico CNI's TokenRefresher (SPEC D.6)" }, 'calico'),
    ) as VscodeSingleSelect;
    this.refresher.addEventListener('change', () => this.changed());
    this.outageList = h('div', { class: 'ktl-outages', id: 'wf-outages', role: 'list', 'aria-label': 'API-server outages' });
    this.addOutage = h('vscode-button', { secondary: true, id: 'wf-add-outage' }, '+ Add outage') as VscodeButton;
    this.addOutage.addEventListener('click', () => {
      this.addOutageRow({ from: '1h', to: '1h30m' }, true);
      this.changed();
    });
    this.runButton = h('vscode-button', { id: 'wf-run' }, 'Re-run') as VscodeButton;
    this.runButton.addEventListener('click', () => this.submit(true));
    this.saveButton = h('vscode-button', { secondary: true, id: 'wf-save' }, 'Save scenario…') as VscodeButton;
    this.saveButton.addEventListener('click', () => {
      const checked = this.read();
      if (checked.ok) this.cb.onSave(checked.params);
    });
    this.status = h('div', { class: 'ktl-form-status', id: 'wf-status', role: 'status' });
    this.note = h('p', { class: 'ktl-muted', id: 'wf-note' }, 'This trace did not come from what-if parameters, so it cannot be re-run from here.');

    const field = (id: string, label: string, control: HTMLElement, help?: string): HTMLElement => {
      const err = h('div', { class: 'ktl-field-error', id: `wf-${id}-error`, role: 'alert' });
      this.errors.set(id, err);
      return h('div', { class: 'ktl-field' }, h('label', { class: 'ktl-field-label', for: `wf-${id}` }, label), control, help ? h('div', { class: 'ktl-field-help' }, help) : null, err);
    };
    const outageErr = h('div', { class: 'ktl-field-error', id: 'wf-outages-error', role: 'alert' });
    this.errors.set('outages', outageErr);
    const extendErr = h('div', { class: 'ktl-field-error', role: 'alert' });
    this.errors.set('extendTokenExpiration', extendErr);
    const refresherErr = h('div', { class: 'ktl-field-error', role: 'alert' });
    this.errors.set('refresher', refresherErr);

    this.el = h(
      'form',
      { class: 'ktl-whatif', id: 'ktl-whatif', 'aria-labelledby': 'ktl-whatif-title', novalidate: true },
      h('div', { class: 'ktl-side-title', id: 'ktl-whatif-title' }, 'What if…'),
      this.note,
      h(
        'div',
        { class: 'ktl-field-grid' },
        field('horizon', 'Horizon', this.fields.horizon),
        field('seed', 'Seed', this.fields.seed),
        field('syncFrequency', 'Sync frequency', this.fields.syncFrequency),
        field('expirationSeconds', 'Token lifetime (s)', this.fields.expirationSeconds),
      ),
      field('maxTokenExpiration', 'Max token expiration', this.fields.maxTokenExpiration, 'Empty: no cap. Otherwise 1h … 2^32 s.'),
      h('div', { class: 'ktl-field' }, this.extend, extendErr),
      h('div', { class: 'ktl-field' }, h('label', { class: 'ktl-field-label', for: 'wf-refresher' }, 'Refresher policy'), this.refresher, refresherErr),
      h('div', { class: 'ktl-field' }, h('div', { class: 'ktl-field-label', id: 'wf-outages-label' }, 'API-server outages (offsets from start)'), this.outageList, this.addOutage, outageErr),
      h('div', { class: 'ktl-form-actions' }, this.runButton, this.saveButton),
      this.status,
    );
    this.el.addEventListener('submit', (e) => {
      e.preventDefault();
      this.submit(true);
    });
    this.setParams(undefined);
  }

  /** Fills the form with the host's current values (undefined: disable it). */
  setParams(params: WhatIfParams | undefined): void {
    this.enabled = params !== undefined;
    this.note.hidden = this.enabled;
    if (params) {
      this.fields.horizon.value = params.horizon;
      this.fields.seed.value = String(params.seed);
      this.fields.syncFrequency.value = params.syncFrequency;
      this.fields.expirationSeconds.value = String(params.expirationSeconds);
      this.fields.maxTokenExpiration.value = params.maxTokenExpiration;
      this.extend.checked = params.extendTokenExpiration;
      this.refresher.value = params.refresher;
      for (const row of this.outages) row.el.remove();
      this.outages = [];
      for (const o of params.outages) this.addOutageRow(o, false);
      this.lastPosted = JSON.stringify(params);
      this.showProblems([]);
    }
    this.applyDisabled();
  }

  setBusy(on: boolean): void {
    this.busy = on;
    this.status.textContent = on ? 'Re-running the simulation…' : '';
    this.applyDisabled();
  }

  /** The form's values, validated. */
  read(): ReturnType<typeof checkWhatIfParams> {
    const num = (v: string): number | string => (v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : v);
    const raw = {
      horizon: this.fields.horizon.value.trim(),
      seed: num(this.fields.seed.value),
      syncFrequency: this.fields.syncFrequency.value.trim(),
      expirationSeconds: num(this.fields.expirationSeconds.value),
      outages: this.outages.map((o) => ({ from: o.from.value.trim(), to: o.to.value.trim() })),
      maxTokenExpiration: this.fields.maxTokenExpiration.value.trim(),
      extendTokenExpiration: this.extend.checked,
      refresher: this.refresher.value,
    };
    const checked = checkWhatIfParams(raw);
    this.showProblems(checked.ok ? [] : checked.problems);
    return checked;
  }

  private applyDisabled(): void {
    const off = !this.enabled;
    for (const f of Object.values(this.fields)) f.disabled = off;
    this.extend.disabled = off;
    this.refresher.toggleAttribute('disabled', off);
    this.addOutage.disabled = off;
    this.saveButton.disabled = off;
    this.runButton.disabled = off || this.busy;
    for (const row of this.outages) {
      row.from.disabled = off;
      row.to.disabled = off;
    }
  }

  private addOutageRow(o: OutageWindow, focus: boolean): void {
    const n = this.outages.length;
    const from = h('vscode-textfield', { class: 'wf-outage-from', label: `Outage ${n + 1} from`, placeholder: 'from' }) as VscodeTextfield;
    const to = h('vscode-textfield', { class: 'wf-outage-to', label: `Outage ${n + 1} to`, placeholder: 'to' }) as VscodeTextfield;
    from.value = o.from;
    to.value = o.to;
    from.addEventListener('change', () => this.changed());
    to.addEventListener('change', () => this.changed());
    const remove = h('vscode-button', { secondary: true, class: 'wf-outage-remove', 'aria-label': `Remove outage ${n + 1}` }, 'Remove') as VscodeButton;
    const row: OutageRow = { el: h('div', { class: 'ktl-outage-row', role: 'listitem' }, from, h('span', { class: 'ktl-muted' }, '→'), to, remove), from, to };
    remove.addEventListener('click', () => {
      row.el.remove();
      this.outages = this.outages.filter((r) => r !== row);
      this.changed();
    });
    this.outages.push(row);
    this.outageList.append(row.el);
    if (focus) requestAnimationFrame(() => from.focus());
  }

  private changed(): void {
    if (!this.enabled) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.submit(false);
    }, DEBOUNCE_MS);
  }

  /** Validates and posts a re-run (unless nothing changed, for automatic submissions). */
  private submit(force: boolean): void {
    if (!this.enabled) return;
    const checked = this.read();
    if (!checked.ok) {
      this.status.textContent = `Not re-run: ${checked.problems.length} problem${checked.problems.length === 1 ? '' : 's'} in the form.`;
      return;
    }
    const key = JSON.stringify(checked.params);
    if (!force && key === this.lastPosted) return;
    this.lastPosted = key;
    this.cb.onRerun(checked.params);
  }

  private showProblems(problems: ParamProblem[]): void {
    const byField = new Map<string, string[]>();
    for (const p of problems) {
      const top = p.path.split(/[.[]/)[0] || 'horizon';
      const list = byField.get(top) ?? [];
      list.push(p.path.startsWith('outages[') ? `${outageName(p.path)}: ${p.message}` : p.message);
      byField.set(top, list);
    }
    for (const [id, el] of this.errors) {
      const msgs = byField.get(id) ?? [];
      el.textContent = msgs.join(' ');
      el.hidden = msgs.length === 0;
    }
    for (const [id, f] of Object.entries(this.fields) as Array<[FieldId, VscodeTextfield]>) f.invalid = byField.has(id);
    this.outages.forEach((row, i) => {
      row.from.invalid = problems.some((p) => p.path === `outages[${i}].from` || p.path === `outages[${i}]`);
      row.to.invalid = problems.some((p) => p.path === `outages[${i}].to`);
    });
  }
}

function outageName(path: string): string {
  const m = /^outages\[(\d+)\](?:\.(\w+))?/.exec(path);
  if (!m) return path;
  return `Outage ${Number(m[1]) + 1}${m[2] ? ` ${m[2]}` : ''}`;
}
