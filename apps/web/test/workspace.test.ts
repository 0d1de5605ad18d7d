import { describe, expect, it } from 'vitest';
import { chooseSidePanel, escapeStep, panelWidth, type EscapeInputs, type PanelInputs } from '../src/app/panels';
import type { AreaGeometry } from '@safer-places/schemas';
import { drawingState } from '../src/features/areas/useAreas';

const nothingOpen: PanelInputs = { adding: false, hasDraft: false, hasSelectedFeature: false, uploadOpen: false, canUpload: true, tool: null, hasDataset: true };

describe('which side panel the workspace shows', () => {
  it('shows none when nothing is open', () => {
    expect(chooseSidePanel(nothingOpen)).toBeNull();
  });

  it('puts adding before an unsaved drawing, the drawing before a selected item', () => {
    expect(chooseSidePanel({ ...nothingOpen, adding: true, hasDraft: true, hasSelectedFeature: true })).toBe('add');
    expect(chooseSidePanel({ ...nothingOpen, hasDraft: true, hasSelectedFeature: true })).toBe('area-draft');
    expect(chooseSidePanel({ ...nothingOpen, hasSelectedFeature: true, tool: 'bid' })).toBe('selection');
  });

  it('lets a selected item cover upload and an analysis panel without closing them', () => {
    expect(chooseSidePanel({ ...nothingOpen, hasSelectedFeature: true, uploadOpen: true, tool: 'planner' })).toBe('selection');
    expect(chooseSidePanel({ ...nothingOpen, uploadOpen: true, tool: 'planner' })).toBe('upload');
    expect(chooseSidePanel({ ...nothingOpen, tool: 'planner' })).toBe('planner');
  });

  it('shows upload only to a role that may upload, and analyses only with a dataset', () => {
    expect(chooseSidePanel({ ...nothingOpen, uploadOpen: true, canUpload: false })).toBeNull();
    expect(chooseSidePanel({ ...nothingOpen, tool: 'hotspots', hasDataset: false })).toBeNull();
  });

  it('gives areas and analyses the wide column, other items the item column, an LSOA the narrow one', () => {
    expect(panelWidth('area-draft', null)).toBe('area');
    expect(panelWidth('hotspots', null)).toBe('area');
    expect(panelWidth('selection', 'areas')).toBe('area');
    expect(panelWidth('selection', 'cameras')).toBe('other');
    expect(panelWidth('selection', 'lsoas')).toBeNull();
    expect(panelWidth('add', null)).toBeNull();
    expect(panelWidth('upload', null)).toBeNull();
  });
});

const calm: EscapeInputs = {
  lassoActive: false,
  drawing: false,
  reshaping: false,
  draftEditing: false,
  hasDraft: false,
  adding: false,
  picking: false,
  strategicOpen: false,
  adminView: null,
  tool: null,
  hasSelection: false,
};

describe('what Escape does', () => {
  it('does nothing when nothing is open', () => {
    expect(escapeStep(calm)).toBeNull();
  });

  it('undoes the innermost thing first', () => {
    const everything: EscapeInputs = { ...calm, lassoActive: true, drawing: true, reshaping: true, draftEditing: true, hasDraft: true, adding: true, picking: true, strategicOpen: true, adminView: 'audit', tool: 'planner', hasSelection: true };
    expect(escapeStep(everything)).toBe('cancel-lasso');
    expect(escapeStep({ ...everything, lassoActive: false })).toBe('cancel-drawing');
    expect(escapeStep({ ...everything, lassoActive: false, drawing: false })).toBe('cancel-reshape');
    expect(escapeStep({ ...everything, lassoActive: false, drawing: false, reshaping: false })).toBe('stop-editing-draft');
    expect(escapeStep({ ...calm, adding: true, picking: true, strategicOpen: true })).toBe('cancel-add');
    expect(escapeStep({ ...calm, picking: true, strategicOpen: true })).toBe('cancel-pick');
    expect(escapeStep({ ...calm, strategicOpen: true, adminView: 'users' })).toBe('close-strategic');
    expect(escapeStep({ ...calm, adminView: 'users', tool: 'hotspots' })).toBe('close-admin');
  });

  it('closes hot spots or the planner only when no item is selected over them, and never the bid panel', () => {
    expect(escapeStep({ ...calm, tool: 'hotspots' })).toBe('close-tool');
    expect(escapeStep({ ...calm, tool: 'planner' })).toBe('close-tool');
    expect(escapeStep({ ...calm, tool: 'hotspots', hasSelection: true })).toBe('clear-selection');
    expect(escapeStep({ ...calm, tool: 'bid' })).toBeNull();
  });

  it('never throws an unsaved drawing away', () => {
    expect(escapeStep({ ...calm, hasDraft: true })).toBeNull();
    expect(escapeStep({ ...calm, hasDraft: true, hasSelection: true })).toBeNull();
  });
});

describe('what the map drawing layer does', () => {
  const square = { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]] } as AreaGeometry;
  it('draws the lasso before any drawing tool, and a tool before showing a shape', () => {
    expect(drawingState({ lassoActive: true, drawTool: 'circle', edit: null, draft: null })).toEqual({ kind: 'draw', tool: 'freehand' });
    expect(drawingState({ lassoActive: false, drawTool: 'circle', edit: { id: 'a', geometry: square }, draft: null })).toEqual({ kind: 'draw', tool: 'circle' });
  });
  it('edits a saved area being reshaped, shows or edits an unsaved drawing, else nothing', () => {
    expect(drawingState({ lassoActive: false, drawTool: null, edit: { id: 'a', geometry: square }, draft: { geometry: square, shape: 'polygon', editing: false } })).toEqual({ kind: 'edit', geometry: square });
    expect(drawingState({ lassoActive: false, drawTool: null, edit: null, draft: { geometry: square, shape: 'polygon', editing: false } })).toEqual({ kind: 'show', geometry: square });
    expect(drawingState({ lassoActive: false, drawTool: null, edit: null, draft: { geometry: square, shape: 'polygon', editing: true } })).toEqual({ kind: 'edit', geometry: square });
    expect(drawingState({ lassoActive: false, drawTool: null, edit: null, draft: null })).toEqual({ kind: 'none' });
  });
});
