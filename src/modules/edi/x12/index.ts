export {
  components,
  element,
  parseInterchange,
  parseSegments,
  readDelimiters,
  type X12Delimiters,
  X12Error,
  type X12Interchange,
  type X12Segment,
  type X12TransactionSet,
} from './interchange.ts';
