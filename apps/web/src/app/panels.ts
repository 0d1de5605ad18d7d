/*
 * Which side panel the workspace shows and what Escape does: pure rules over what is open, so the precedence between
 * the panels lives in one place (and is tested as data).
 */

/** The analysis panels: at most one is open at a time. */
export type Tool = 'bid' | 'hotspots' | 'planner';

/** The admin views over the map: the audit log or the users list (at most one). */
export type AdminView = 'audit' | 'users';

/** What the side column holds. A selected map item hides upload and the analysis panels without closing them. */
export type SidePanelChoice = 'add' | 'area-draft' | 'selection' | 'upload' | Tool | null;

export interface PanelInputs {
  adding: boolean;
  hasDraft: boolean;
  /** A map item is selected and its feature is in the loaded data. */
  hasSelectedFeature: boolean;
  uploadOpen: boolean;
  canUpload: boolean;
  tool: Tool | null;
  hasDataset: boolean;
}

export function chooseSidePanel(s: PanelInputs): SidePanelChoice {
  if (s.adding) return 'add';
  if (s.hasDraft) return 'area-draft';
  if (s.hasSelectedFeature) return 'selection';
  if (s.uploadOpen && s.canUpload) return 'upload';
  if (s.tool && s.hasDataset) return s.tool;
  return null;
}

/** How wide the side column is: the wide area column (areas and analyses), the item column, or the LSOA column. */
export function panelWidth(choice: SidePanelChoice, selectedLayer: string | null): 'area' | 'other' | null {
  if (choice === 'area-draft' || choice === 'bid' || choice === 'hotspots' || choice === 'planner') return 'area';
  if (choice === 'selection') return selectedLayer === 'areas' ? 'area' : selectedLayer === 'lsoas' ? null : 'other';
  return null;
}

export interface EscapeInputs {
  lassoActive: boolean;
  drawing: boolean;
  reshaping: boolean;
  draftEditing: boolean;
  hasDraft: boolean;
  adding: boolean;
  picking: boolean;
  strategicOpen: boolean;
  adminView: AdminView | null;
  tool: Tool | null;
  hasSelection: boolean;
}

export type EscapeStep =
  | 'cancel-lasso'
  | 'cancel-drawing'
  | 'cancel-reshape'
  | 'stop-editing-draft'
  | 'cancel-add'
  | 'cancel-pick'
  | 'close-strategic'
  | 'close-admin'
  | 'close-tool'
  | 'clear-selection'
  | null;

/**
 * Escape undoes the innermost thing first: the lasso or a drawing, reshaping, adding, a planner pick, then the views over
 * the map, then an analysis panel (unless an item is selected over it), then the selection. An unsaved drawing is never
 * thrown away by Escape: its panel has Discard for that.
 */
export function escapeStep(s: EscapeInputs): EscapeStep {
  if (s.lassoActive) return 'cancel-lasso';
  if (s.drawing) return 'cancel-drawing';
  if (s.reshaping) return 'cancel-reshape';
  if (s.draftEditing) return 'stop-editing-draft';
  if (s.adding) return 'cancel-add';
  if (s.picking) return 'cancel-pick';
  if (s.strategicOpen) return 'close-strategic';
  if (s.adminView) return 'close-admin';
  if ((s.tool === 'hotspots' || s.tool === 'planner') && !s.hasSelection) return 'close-tool';
  if (s.hasSelection && !s.hasDraft) return 'clear-selection';
  return null;
}
