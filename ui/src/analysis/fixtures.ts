// Hand-built traces shared by the unit tests; the same traces and answers are in the Java TraceAnalysisTest.
import { Span } from './model';
import { Tree, buildTree } from './tree';

export function span(id: number, parent: number, service: string, start: number, end: number,
  extra: Partial<Span> = {}): Span {
  return {
    id: String(id), parentId: parent ? String(parent) : '', name: 'op' + id, service, kind: 'INTERNAL',
    start: start * 1000, end: end * 1000, error: false, statusMessage: '', ...extra,
  };
}

/** Sorted by start then id, as the API delivers spans. */
export function tree(...spans: Span[]): Tree {
  return buildTree([...spans].sort((a, b) => a.start - b.start || Number(a.id) - Number(b.id)));
}

export const ms = (v: number) => v * 1000;
