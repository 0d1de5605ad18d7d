import { placeText } from './place';

/** The ward and district under a location ("Portland ward, Mansfield"), as the small line of a table cell. */
export function PlaceLine({ row }: { row: object }) {
  const text = placeText(row);
  return text ? (
    <span className="cell-sub place-line" data-testid="place-line">
      {text}
    </span>
  ) : null;
}
