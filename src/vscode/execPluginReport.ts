/**
 * The "Run Exec Plugin Now" report (Markdown, in a read-only document): what the plugin was started
 * with (command and argument count, never the argument values), the decoded ExecCredential status
 * (expiry and remaining time, certificate subject and NotAfter, JWT claims), the run's duration,
 * exit code and stderr, and what client-go does with the answer. Pure: the caller passes `now`. The
 * token appears only when the caller passes it (the user's explicit Reveal Token).
 */
import type { ExecCredentialPluginRun } from '../plugins/execCredentialPlugin';
import { formatDateTime } from '../sim/units/datetime';
import { relativeTime } from '../token/format';
import { block, code } from './credentialProviderReports';
import { redactSecrets } from '../token/redact';

export interface ExecPluginReportInput {
  userName: string;
  /** The file that defines the user. */
  file: string;
  run: ExecCredentialPluginRun;
  /** When the report is written, epoch ms. */
  now: number;
  /** The extension host's PATH (shown when the command was not found). */
  path?: string;
  /** Only on Reveal Token. */
  revealedToken?: string;
}

const STAGE_TITLE: Record<Exclude<ExecCredentialPluginRun, { ok: true }>['stage'], string> = {
  config: 'kubectl would refuse this user before running anything',
  interactive: 'client-go would not run this plugin here',
  notFound: 'The plugin was not found',
  start: 'The plugin could not be started',
  timeout: 'The plugin did not answer in time',
  exit: 'The plugin failed',
  output: "client-go rejects the plugin's answer",
};

export function execPluginReportMarkdown(input: ExecPluginReportInput): string {
  const { run, now } = input;
  const out: string[] = [`# Run Exec Plugin: user ${code(input.userName)}`, ''];
  out.push(`- **Kubeconfig**: ${code(input.file)}`);
  out.push(`- **Command**: ${code(run.command)}${run.resolved !== undefined && run.resolved !== run.command ? ` (runs ${code(run.resolved)})` : ''}, ${run.argCount} argument${run.argCount === 1 ? '' : 's'} (values not shown: they may hold secrets)`);
  out.push(`- **interactiveMode**: ${code(run.interactiveMode === '' ? '(unset)' : run.interactiveMode)}; run non-interactively: VS Code has no terminal for the plugin, so its stdin is not connected`);
  if (run.durationMs !== undefined) out.push(`- **Duration**: ${Math.round(run.durationMs)} ms${run.exitCode !== undefined ? `, exit code ${run.exitCode}` : ''}`);
  out.push('');

  if (run.ok) {
    const s = run.status;
    out.push('## ✔ Credentials returned', '');
    if (s.hasToken) out.push(`- **Token**: ${input.revealedToken !== undefined ? code(input.revealedToken) : 'returned (hidden: use Reveal Token to see it)'}`);
    if (s.expirationTimestamp !== undefined) {
      out.push(`- **Expires**: ${formatDateTime(s.expirationTimestamp)} (${relativeTime(s.expirationTimestamp, now)})`);
      out.push(`  client-go keeps these credentials until strictly after that time (no early refresh), then runs the plugin again at the next request; a 401 before then also makes it run again.`);
    } else {
      out.push('- **Expires**: no expirationTimestamp: client-go uses these credentials until a request gets a 401 or the process ends (each new kubectl process runs the plugin again).');
    }
    if (s.certificate !== undefined) {
      const after = s.certificate.notAfter;
      out.push(`- **Client certificate**: subject ${code(s.certificate.subject === '' ? '(empty)' : s.certificate.subject)}${after !== undefined ? `, NotAfter ${formatDateTime(after)} (${relativeTime(after, now)})` : ''}`);
    }
    if (s.claims !== undefined) {
      out.push('', '### The token\'s claims (decoded, not verified)', '');
      for (const claim of ['exp', 'iat', 'nbf'] as const) {
        const v = s.claims[claim];
        if (typeof v === 'number') out.push(`- **${claim}**: ${formatDateTime(v * 1000)} (${relativeTime(v * 1000, now)})`);
      }
      out.push('', block(JSON.stringify(s.claims, null, 2)));
    } else if (s.hasToken) {
      out.push('- The token is not a JWT (an opaque token): its lifetime is only what the plugin says.');
    }
  } else {
    out.push(`## ✖ ${STAGE_TITLE[run.stage]}`, '', block(run.error));
    if (run.stage === 'interactive') {
      out.push('', 'kubectl in a terminal would run it interactively; an IDE, a controller or any process without a terminal on stdin fails like this. Use interactiveMode IfAvailable (or Never) if the plugin can work without a prompt.');
    }
    if (run.stage === 'notFound' && !run.command.includes('/')) {
      out.push('', `Searched the PATH as the extension host sees it: ${code(input.path ?? '')}. A terminal's PATH may differ (VS Code started from the dock or a launcher does not read your shell profile).`);
    }
    if (run.stage === 'timeout') out.push('', 'client-go itself sets no timeout: kubectl would wait for it as long as it runs.');
  }
  if (run.stderr !== undefined) {
    out.push('', '## stderr', '');
    // A plugin may print what it fetched to stderr: token-shaped values are masked there too.
    out.push(run.stderr === '' ? '(empty)' : block(redactSecrets(run.stderr)));
    if (run.stderrTruncated === true) out.push('', '(cut: the plugin wrote more than the report keeps)');
  }
  return `${out.join('\n')}\n`;
}
