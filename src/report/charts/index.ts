/** The charts of a sweep report, in the order index.html shows them. */
import type { ChartBuilder } from './common.js';
import { costVsConsistency } from './costVsConsistency.js';
import { readLatency } from './readLatency.js';
import { replicaLag } from './replicaLag.js';
import { tVisibility } from './tVisibility.js';
import { violationRate } from './violationRate.js';

export const CHARTS: readonly ChartBuilder[] = [violationRate, costVsConsistency, readLatency, replicaLag, tVisibility];

export type { ChartBuilder, ChartSpec } from './common.js';
