/** JWT decoding, claims analysis and verification (pure: no I/O, time is passed in). */
export { decodeJwt, normalizeTokenText, type DecodeResult, type DecodedJwt, type DecodeFailure, type JwtHeader, type JwtPayload, type JwtPart } from './decode';
export {
  analyzeClaims,
  LEEWAY_SECONDS,
  WARN_ONLY_SECONDS,
  EXTENDED_SECONDS,
  LEGACY_ISSUER,
  type ClaimsView,
  type TimeClaim,
  type ObjectRef,
  type KubernetesClaims,
  type LegacyClaims,
  type LifetimeAnalysis,
  type ExtensionInfo,
  type TokenKind,
  type Validity,
  type KubeletRefreshView,
} from './claims';
export { verifyJwt, type VerifyOptions, type VerifyResult, type VerifyFailureKind } from './verify';
export { formatDuration, formatDurationShort, isoUtc, relativeTime } from './format';
export { decodeBase64Url, encodeBase64Url, encodeBase64UrlText } from './base64url';
export { redactSecrets, REDACTED } from './redact';
