// The desk: a home page per role ("my work" by SLA and the role's figures), read from the other modules'
// queries. The top of the module graph: no module imports it.
export {
  deskHome,
  type Figure,
  type Home,
  type HomeKind,
  homeKinds,
  homesFor,
  homeTitles,
  lightOf,
  listHomes,
  type SlaLight,
  type WorkItem,
  type WorkSection,
} from './homes.ts';
