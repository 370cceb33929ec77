/**
 * The registry part of an image reference as the kubelet's plugin cache sees it (upstream
 * plugin.go parseRegistry): everything before the first `/`, port included. No normalisation:
 * "nginx" is its own registry key, not "docker.io" (SPEC B.3 step 7, B.5).
 */
export function parseRegistry(image: string): string {
  const slash = image.indexOf('/');
  return slash < 0 ? image : image.slice(0, slash);
}
