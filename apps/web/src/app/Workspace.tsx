import type { ReactNode } from 'react';
import { useMediaQuery } from '../shared/useMediaQuery';
import { ScopePicker } from '../features/scope/ScopePicker';
import { SearchBox } from '../features/search/SearchBox';
import { AppFrame } from './AppFrame';
import { ControlsColumn } from './ControlsColumn';
import { Footer } from './Footer';
import { MapPane } from './MapPane';
import { PanelRouter } from './PanelRouter';
import { chooseSidePanel, panelWidth } from './panels';
import { useWorkspace, type WorkspaceProps } from './useWorkspace';

/**
 * Below this width the area panel leaves the map under about 760 px (the sidebar, the wide panel and the map), so the
 * legend folds away while the panel is open and the drawn area stays in view.
 */
const NARROW_MAP_QUERY = '(max-width: 1480px)';

/** The signed-in app: one user's session of the map, its controls, its panels and the views over it. */
export function Workspace(props: WorkspaceProps & { signIn: ReactNode }) {
  const ws = useWorkspace(props);
  const narrowMap = useMediaQuery(NARROW_MAP_QUERY);
  const choice = chooseSidePanel({
    adding: ws.addKind !== null,
    hasDraft: ws.areas.draft !== null,
    hasSelectedFeature: ws.selection !== null && ws.selectedFeature !== null,
    uploadOpen: ws.uploadOpen,
    canUpload: ws.uploadKinds.length > 0,
    tool: ws.tool,
    hasDataset: ws.dataset !== null,
  });
  const width = panelWidth(choice, ws.selection?.layer ?? null);
  const { dataset, me } = ws;

  return (
    <AppFrame
      synthetic={dataset?.synthetic ?? ws.map.layers.lsoas?.dataset?.synthetic ?? false}
      search={dataset && <SearchBox ws={ws} />}
      scopePicker={
        dataset && (
          <ScopePicker
            api={ws.api}
            scope={ws.scope}
            getView={() => ws.mapHandle.current?.getBounds() ?? null}
            canEditPartnerships={ws.canWrite('partnership-areas')}
            canSetHome={me.role === 'admin'}
            announce={ws.announce}
          />
        )
      }
      signIn={props.signIn}
      controls={<ControlsColumn ws={ws} />}
      main={<MapPane ws={ws} narrow={width === 'area' && narrowMap} usersMode={props.config.cognito ? 'cognito' : 'local'} />}
      panel={choice && <PanelRouter ws={ws} choice={choice} />}
      panelWidth={width}
      footer={<Footer dataset={dataset} baseMap={ws.baseMap} statsNotes={ws.stats.stats?.notes ?? []} />}
    />
  );
}
