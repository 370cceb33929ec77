/**
 * `Status` objects shaped exactly like the API server's (k8s.io/apimachinery/pkg/api/errors), and the
 * error type the demo server throws to produce them.
 */

export type StatusReason =
  | 'BadRequest'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'MethodNotAllowed'
  | 'Conflict'
  | 'Invalid'
  | 'Expired'
  | 'NotAcceptable'
  | 'UnsupportedMediaType'
  | 'InternalError'
  | 'RequestEntityTooLarge';

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: { continue?: string; resourceVersion?: string };
  status: 'Failure' | 'Success';
  message: string;
  reason?: StatusReason;
  details?: StatusDetails;
  code: number;
}

export class ApiError extends Error {
  constructor(readonly status: Status) {
    super(status.message);
    this.name = 'ApiError';
  }
  get code(): number {
    return this.status.code;
  }
}

function status(code: number, reason: StatusReason | undefined, message: string, details?: StatusDetails): ApiError {
  const s: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, code };
  if (reason) s.reason = reason;
  if (details) s.details = details;
  return new ApiError(s);
}

/** A group/resource as the API server names it in messages: "pods", "tokenreviews.authentication.k8s.io". */
export interface GroupResource {
  group: string;
  resource: string;
}

function grString(gr: GroupResource): string {
  return gr.group === '' ? gr.resource : `${gr.resource}.${gr.group}`;
}

function grDetails(gr: GroupResource, name?: string): StatusDetails {
  const d: StatusDetails = {};
  if (name !== undefined && name !== '') d.name = name;
  if (gr.group !== '') d.group = gr.group;
  d.kind = gr.resource;
  return d;
}

export const core = (resource: string): GroupResource => ({ group: '', resource });

/** 404 for a named object: `pods "web-0" not found`. */
export function notFound(gr: GroupResource, name: string): ApiError {
  return status(404, 'NotFound', `${grString(gr)} "${name}" not found`, grDetails(gr, name));
}

/** 404 for a path the server does not serve (unknown resource, disabled subresource). */
export function pathNotFound(): ApiError {
  return status(404, 'NotFound', 'the server could not find the requested resource', {});
}

export function unauthorized(): ApiError {
  return status(401, 'Unauthorized', 'Unauthorized');
}

/**
 * 403 as the RBAC authorizer words it:
 * `pods is forbidden: User "demo" cannot list resource "pods" in API group "" in the namespace "shop"`.
 */
export function forbidden(opts: {
  user: string;
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  name?: string;
  namespace?: string;
  reason?: string;
}): ApiError {
  const gr: GroupResource = { group: opts.group, resource: opts.resource };
  const full = opts.subresource ? `${opts.resource}/${opts.subresource}` : opts.resource;
  const scope = opts.namespace ? `in the namespace "${opts.namespace}"` : 'at the cluster scope';
  const what = opts.name ? `${grString(gr)} "${opts.name}"` : grString(gr);
  const why = opts.reason ? `: ${opts.reason}` : '';
  const message = `${what} is forbidden: User "${opts.user}" cannot ${opts.verb} resource "${full}" in API group "${opts.group}" ${scope}${why}`;
  return status(403, 'Forbidden', message, grDetails(gr, opts.name));
}

/** 403 for a non-resource URL: `forbidden: User "x" cannot get path "/api"`. */
export function forbiddenPath(user: string, verb: string, path: string): ApiError {
  return status(403, 'Forbidden', `forbidden: User "${user}" cannot ${verb} path "${path}"`, {});
}

export function badRequest(message: string): ApiError {
  return status(400, 'BadRequest', message);
}

export function methodNotAllowed(): ApiError {
  return status(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {});
}

/** 409: `Operation cannot be fulfilled on Pod "web-0": <reason>` (the group/resource is printed as given). */
export function conflict(gr: GroupResource, name: string, reason: string): ApiError {
  return status(409, 'Conflict', `Operation cannot be fulfilled on ${grString(gr)} "${name}": ${reason}`, grDetails(gr, name));
}

export interface FieldError {
  field: string;
  /** Printed as "Invalid value: <value>" (numbers bare, strings quoted, as Go's %#v-ish rendering does). */
  value: unknown;
  detail: string;
}

function renderValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === null || v === undefined) return 'null';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/**
 * 422: `TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 599: may not
 * specify a duration less than 10 minutes` (errors.NewInvalid).
 */
export function invalid(kind: { group: string; kind: string }, name: string, errors: FieldError[]): ApiError {
  const gk = kind.group === '' ? kind.kind : `${kind.kind}.${kind.group}`;
  const causes: StatusCause[] = errors.map((e) => ({
    reason: 'FieldValueInvalid',
    message: `Invalid value: ${renderValue(e.value)}: ${e.detail}`,
    field: e.field,
  }));
  const texts = errors.map((e) => `${e.field}: Invalid value: ${renderValue(e.value)}: ${e.detail}`);
  const joined = texts.length === 1 ? texts[0] : `[${texts.join(', ')}]`;
  const details: StatusDetails = { name, kind: kind.kind, causes };
  if (kind.group !== '') details.group = kind.group;
  // Keep the field order of the real object: name, group, kind, causes.
  const ordered: StatusDetails = { name: details.name };
  if (details.group) ordered.group = details.group;
  ordered.kind = details.kind;
  ordered.causes = causes;
  return status(422, 'Invalid', `${gk} "${name}" is invalid: ${joined}`, ordered);
}

/** 410 for a continue token older than the last compaction (errors.NewResourceExpired). */
export function continueExpired(inconsistentContinue?: string): ApiError {
  const err = status(
    410,
    'Expired',
    'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
  );
  if (inconsistentContinue) err.status.metadata.continue = inconsistentContinue;
  return err;
}

export function internalError(cause: string): ApiError {
  return status(500, 'InternalError', `Internal error occurred: ${cause}`, { causes: [{ message: cause }] });
}

export function notAcceptable(accept: string): ApiError {
  return status(406, 'NotAcceptable', `only the following media types are accepted: application/json (the demo cluster serves JSON only; asked for ${accept})`);
}

export function unsupportedMediaType(type: string): ApiError {
  return status(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json, not ${type}`);
}
