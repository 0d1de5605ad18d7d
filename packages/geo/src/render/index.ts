export { type SvgMapContext, type SvgMapLayer, type SvgMapLocator, type SvgMapOptions, svgMap, escapeXml } from './svg-map';
