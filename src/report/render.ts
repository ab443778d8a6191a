/**
 * Vega-Lite spec → SVG without a browser: vega-lite compiles the spec to Vega, and Vega renders
 * the scene headlessly (renderer "none", then toSVG). Without the optional `canvas` package Vega
 * measures text with its built-in estimate, which depends on nothing installed on the machine, so
 * the same spec gives the same bytes everywhere.
 */
import * as vega from 'vega';
import * as vl from 'vega-lite';
import type { ChartSpec } from './charts/common.js';

export interface CompiledChart {
  vega: vega.Spec;
  /** What vega-lite warned about while compiling (a correct spec has none). */
  warnings: string[];
}

/** Compiles with a logger that collects warnings instead of printing them. */
export function compileChart(spec: ChartSpec): CompiledChart {
  const warnings: string[] = [];
  const logger: vega.LoggerInterface = {
    level(): number {
      return vega.Warn;
    },
    error(...args: readonly unknown[]) {
      warnings.push(`error: ${args.map(String).join(' ')}`);
      return logger;
    },
    warn(...args: readonly unknown[]) {
      warnings.push(args.map(String).join(' '));
      return logger;
    },
    info() {
      return logger;
    },
    debug() {
      return logger;
    },
  } as vega.LoggerInterface;
  const compiled = vl.compile(spec, { logger });
  return { vega: compiled.spec, warnings };
}

/** Renders a compiled chart to an SVG document (a string ending in a newline). */
export async function renderSvg(vegaSpec: vega.Spec): Promise<string> {
  const warnings: string[] = [];
  const view = new vega.View(vega.parse(vegaSpec), { renderer: 'none', logLevel: vega.Warn });
  view.logger({
    level: () => vega.Warn,
    warn: (...args: readonly unknown[]) => warnings.push(args.map(String).join(' ')),
    error: (...args: readonly unknown[]) => warnings.push(args.map(String).join(' ')),
    info: () => undefined,
    debug: () => undefined,
  } as unknown as vega.LoggerInterface);
  try {
    const svg = await view.toSVG();
    if (warnings.length > 0) throw new Error(`vega: ${warnings.join('; ')}`);
    return `${svg}\n`;
  } finally {
    view.finalize();
  }
}

/** Spec → SVG, failing on any compile warning (a chart that draws something else than intended). */
export async function chartToSvg(spec: ChartSpec): Promise<string> {
  const compiled = compileChart(spec);
  if (compiled.warnings.length > 0) throw new Error(`vega-lite: ${compiled.warnings.join('; ')}`);
  return renderSvg(compiled.vega);
}
