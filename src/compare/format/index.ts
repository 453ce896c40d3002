/** The output formats of `compare`, chosen once from this map. Each is a pure Comparison → string. */
import type { Comparison } from '../build.ts';
import { formatCsv } from './csv.ts';
import { formatJson } from './json.ts';
import { formatMarkdown } from './markdown.ts';
import { formatText } from './text.ts';

export const FORMATS = { text: formatText, markdown: formatMarkdown, csv: formatCsv, json: formatJson } satisfies Record<string, (c: Comparison) => string>;
export type Format = keyof typeof FORMATS;
export const FORMAT_NAMES = Object.keys(FORMATS) as Format[];
