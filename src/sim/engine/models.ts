/**
 * The models a run composes, in registration order: it is the order they are built in, the order of
 * their scheduling ranks (ties at one instant run in this order), of their lanes, and of the series
 * they register. A model comes after the models whose services it uses.
 */
import { apiServerModel } from '../apiserver/model';
import { credentialProviderModel } from '../credentialProvider/model';
import { execAuthModel } from '../execAuth/model';
import { kubeletModel } from '../kubelet/model';
import type { Model } from '../model';
import { refresherModel } from '../refresher/model';
import type { Scenario } from '../scenario/types';

export const MODELS: readonly Model<Scenario>[] = [
  apiServerModel,
  kubeletModel,
  refresherModel,
  credentialProviderModel,
  execAuthModel,
];
