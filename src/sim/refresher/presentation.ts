/**
 * How client-side refreshers (Calico's token refresher) are shown. A refresher owns only its lane:
 * the events on it are TokenRequests (the API server's), token writes and a refresh window (the
 * kubelet's vocabulary, which it mirrors), so the lane reads like a token lane and sits in the
 * summaries' token table. Imports only the vocabulary (no engine code).
 */
import type { ModelPresentation } from '../presentation';

export const REFRESHER_PRESENTATION: ModelPresentation = {
  model: 'refresher',
  categories: [],
  events: [],
  spans: [],
  lanes: [{ kind: 'refresher', label: 'Refresher', short: 'REF', holdsToken: true }],
  series: [],
  laneStates: [],
  sections: [],
};
