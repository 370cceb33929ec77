/**
 * SPEC B.2: the kubelet's validateCredentialProviderConfig, every rule, all errors accumulated, in
 * upstream's order and with its exact texts (field.Error formatting of the kubelet version: 1.34
 * prints complex bad values as JSON, 1.33 with Go's %v / %#v). Also our own warnings about configs
 * the kubelet accepts but that will not do what their author likely wants.
 */
import { PROVIDER_API_V1, PROVIDER_API_VERSIONS, type CredentialKubeletVersion, type CredentialProvider, type CredentialProviderConfig } from './config';
import { formatGoDuration } from './goDuration';
import { goQuote } from '../units/goQuote';
import { parseSchemelessUrl } from './goUrl';
import { compareGoStrings } from './goStringOrder';
import { isQualifiedName } from './qualifiedName';
import { goJsonString } from '../units/goJson';

export interface ValidationError {
  /** The kubelet's field path ('providers.name'). */
  field: string;
  /** Index into config.providers; undefined for the config as a whole. */
  index: number | undefined;
  /** Path inside that provider ('matchImages[1]'), '' for the provider itself or the whole config. */
  subPath: string;
  /** The kubelet's text: `<field>: <type>[: <value>][: <detail>]`. */
  message: string;
}

export const SERVICE_ACCOUNT_TOKEN_GATE = 'KubeletServiceAccountTokenForCredentialProviders';
const CACHE_TYPES = ['ServiceAccount', 'Token'];

/** field.Error's texts (apimachinery util/validation/field). */
const fieldError = {
  required: (field: string, detail = ''): string => withDetail(`${field}: Required value`, detail),
  forbidden: (field: string, detail: string): string => withDetail(`${field}: Forbidden`, detail),
  invalid: (field: string, value: string, detail: string): string => withDetail(`${field}: Invalid value: ${value}`, detail),
  duplicate: (field: string, value: string): string => `${field}: Duplicate value: ${goQuote(value)}`,
  notSupported: (field: string, value: string, supported: readonly string[]): string =>
    withDetail(`${field}: Unsupported value: ${value}`, `supported values: ${supported.map(goQuote).join(', ')}`),
};

function withDetail(s: string, detail: string): string {
  return detail === '' ? s : `${s}: ${detail}`;
}

export function validateCredentialProviderConfig(config: CredentialProviderConfig, gate: boolean, version: CredentialKubeletVersion): ValidationError[] {
  const errs: ValidationError[] = [];
  const push = (field: string, index: number | undefined, subPath: string, message: string): void => {
    errs.push({ field, index, subPath, message });
  };
  if (config.providers.length === 0) push('providers', undefined, '', fieldError.required('providers', 'at least 1 item in plugins is required'));

  const seenNames = new Set<string>();
  config.providers.forEach((provider, i) => {
    const at = (field: string, subPath: string, message: string): void => push(field, i, subPath, message);
    const name = provider.name;
    const nameValue = goQuote(name);
    if (name.includes('/')) at('providers.name', 'name', fieldError.invalid('providers.name', nameValue, "provider name cannot contain '/'"));
    if (name.includes(' ')) at('providers.name', 'name', fieldError.invalid('providers.name', nameValue, 'provider name cannot contain spaces'));
    if (name === '.') at('providers.name', 'name', fieldError.invalid('providers.name', nameValue, "provider name cannot be '.'"));
    if (name === '..') at('providers.name', 'name', fieldError.invalid('providers.name', nameValue, "provider name cannot be '..'"));
    if (seenNames.has(name)) at('providers.name', 'name', fieldError.duplicate('providers.name', name));
    seenNames.add(name);

    if (provider.apiVersion === '') at('providers.apiVersion', 'apiVersion', fieldError.required('providers.apiVersion'));
    else if (!(PROVIDER_API_VERSIONS as readonly string[]).includes(provider.apiVersion)) {
      const supported = [...PROVIDER_API_VERSIONS].sort(compareGoStrings);
      at('providers.apiVersion', 'apiVersion', fieldError.notSupported('providers.apiVersion', goQuote(provider.apiVersion), supported));
    }

    if (provider.matchImages.length === 0) at('providers.matchImages', 'matchImages', fieldError.required('providers.matchImages', 'at least 1 item in matchImages is required'));
    provider.matchImages.forEach((m, j) => {
      const parsed = parseSchemelessUrl(m);
      if (!parsed.ok) at('providers.matchImages', `matchImages[${j}]`, fieldError.invalid('providers.matchImages', goQuote(m), `match image is invalid: ${parsed.error}`));
    });

    const d = provider.defaultCacheDuration;
    if (d === undefined) at('providers.defaultCacheDuration', 'defaultCacheDuration', fieldError.required('providers.defaultCacheDuration'));
    else if (d < 0n) {
      // SPEC B.2: 1.33 printed the Stringer and named the field in the detail.
      const message =
        version === '1.33'
          ? fieldError.invalid('providers.defaultCacheDuration', formatGoDuration(d), 'defaultCacheDuration must be greater than or equal to 0')
          : fieldError.invalid('providers.defaultCacheDuration', goJsonString(formatGoDuration(d)), 'must be greater than or equal to 0');
      at('providers.defaultCacheDuration', 'defaultCacheDuration', message);
    }

    validateTokenAttributes(provider, gate, version, at);
  });
  return errs;
}

function validateTokenAttributes(
  provider: CredentialProvider,
  gate: boolean,
  version: CredentialKubeletVersion,
  at: (field: string, subPath: string, message: string) => void,
): void {
  const ta = provider.tokenAttributes;
  if (ta === undefined) return;
  const f = 'providers.tokenAttributes';
  if (!gate) at(f, 'tokenAttributes', fieldError.forbidden(f, `tokenAttributes is not supported when ${SERVICE_ACCOUNT_TOKEN_GATE} feature gate is disabled`));
  if (ta.serviceAccountTokenAudience === '') at(`${f}.serviceAccountTokenAudience`, 'tokenAttributes.serviceAccountTokenAudience', fieldError.required(`${f}.serviceAccountTokenAudience`));
  if (ta.requireServiceAccount === undefined) at(`${f}.requireServiceAccount`, 'tokenAttributes.requireServiceAccount', fieldError.required(`${f}.requireServiceAccount`));
  if (provider.apiVersion !== PROVIDER_API_V1) at(f, 'tokenAttributes', fieldError.forbidden(f, `tokenAttributes is only supported for ${PROVIDER_API_V1} API version`));

  const required = ta.requiredServiceAccountAnnotationKeys ?? [];
  const optional = ta.optionalServiceAccountAnnotationKeys ?? [];
  if (ta.requireServiceAccount === false && required.length > 0) {
    const rf = `${f}.requiredServiceAccountAnnotationKeys`;
    at(rf, 'tokenAttributes.requiredServiceAccountAnnotationKeys', fieldError.forbidden(rf, 'requireServiceAccount cannot be false when requiredServiceAccountAnnotationKeys is set'));
  }
  for (const [list, name] of [
    [required, 'requiredServiceAccountAnnotationKeys'],
    [optional, 'optionalServiceAccountAnnotationKeys'],
  ] as const) {
    const lf = `${f}.${name}`;
    const seen = new Set<string>();
    list.forEach((k, j) => {
      // Annotation keys are qualified names except that case does not matter.
      for (const msg of isQualifiedName(k.toLowerCase())) at(lf, `tokenAttributes.${name}[${j}]`, fieldError.invalid(lf, goQuote(k), msg));
      if (seen.has(k)) at(lf, `tokenAttributes.${name}[${j}]`, fieldError.duplicate(lf, k));
      seen.add(k);
    });
  }
  const requiredSet = new Set(required);
  const both = [...new Set(optional.filter((k) => requiredSet.has(k)))].sort(compareGoStrings);
  if (both.length > 0) {
    // 1.33 printed the slice with %#v, 1.34 as JSON.
    const value = version === '1.33' ? `[]string{${both.map(goQuote).join(', ')}}` : `[${both.map(goJsonString).join(',')}]`;
    const j = optional.findIndex((k) => requiredSet.has(k));
    at(f, `tokenAttributes.optionalServiceAccountAnnotationKeys[${j}]`, fieldError.invalid(f, value, 'annotation keys cannot be both required and optional'));
  }

  if (version === '1.33') return; // SPEC B.2: cacheType exists from 1.34 on
  const cf = `${f}.cacheType`;
  const cacheType = ta.cacheType ?? '';
  if (cacheType === '') at(cf, 'tokenAttributes.cacheType', fieldError.required(cf, `cacheType is required to be set when tokenAttributes is specified. Supported values are: ${CACHE_TYPES.join(', ')}`));
  else if (!CACHE_TYPES.includes(cacheType)) at(cf, 'tokenAttributes.cacheType', fieldError.notSupported(cf, goJsonString(cacheType), CACHE_TYPES));
}

/** Our own advice (not the kubelet's): configs it accepts that will likely not work as meant. */
export interface ConfigAdvice {
  index: number;
  subPath: string;
  message: string;
}

export function credentialProviderConfigWarnings(config: CredentialProviderConfig, gate: boolean): ConfigAdvice[] {
  const out: ConfigAdvice[] = [];
  config.providers.forEach((p, index) => {
    if (p.name === '') {
      out.push({
        index,
        subPath: 'name',
        message: 'The provider name is empty. The kubelet accepts this, but it runs the plugin binary named after the provider from its plugin directory, so registration will fail: give the provider the name of its binary.',
      });
    }
    if (p.defaultCacheDuration === 0n) {
      out.push({
        index,
        subPath: 'defaultCacheDuration',
        message: "defaultCacheDuration is 0: nothing from this provider is cached unless the plugin's response sets cacheDuration, so the plugin runs on every image pull.",
      });
    }
    p.matchImages.forEach((m, j) => {
      const scheme = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.exec(m);
      if (scheme !== null) {
        out.push({
          index,
          subPath: `matchImages[${j}]`,
          message: `This pattern starts with "${scheme[0]}", so it can never match: the kubelet puts "https://" in front of every pattern itself. Write it without the scheme, e.g. "${m.slice(scheme[0].length)}".`,
        });
      }
    });
    if (p.tokenAttributes !== undefined && !gate) {
      out.push({
        index,
        subPath: 'tokenAttributes',
        message: `tokenAttributes has no effect while the ${SERVICE_ACCOUNT_TOKEN_GATE} feature gate is off (the default in Kubernetes 1.33): the plugin would get no service-account token. Turn the gate on, or remove tokenAttributes.`,
      });
    }
  });
  return out;
}
