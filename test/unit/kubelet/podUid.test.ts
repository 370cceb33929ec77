import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { podUid } from '../../../src/sim/kubelet/podUid';

// Pinned values: a UID is part of every token's bound-object reference and of the kubelet's cache
// key, so a change here would change every trace (the values predate the loop rewrite of podUid).
test('podUid gives the same UIDs as before', () => {
  assert.equal(podUid('shop', 'web-0'), 'dd4d4472-ef82-8a44-bb71-2e464c58551d');
  assert.equal(podUid('default', 'app'), '06a2fd7e-7474-888f-b7f7-afd7ccd20ce6');
  assert.equal(podUid('ns-7', 'café-1'), 'f87b54e2-af03-84fe-9f8c-68771b3fcfe5');
  assert.equal(podUid('x', '😀'), '2d1bdeaa-01f9-881e-a318-9bff6e68e8a4');
});

test('podUid is a version-8 UUID with the RFC 9562 variant', () => {
  fc.assert(
    fc.property(fc.string(), fc.string(), (ns, name) => {
      assert.match(podUid(ns, name), /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }),
  );
});
