export { type SvgMapLayer, type SvgMapOptions, svgMap, escapeXml } from './svg-map';
