/**
 * What other workspaces may import from the agent: the dispatch contract. The web app builds the
 * job metadata with this schema, so both sides agree on its shape.
 */
export { ZJobMetadata, type TJobMetadata } from './session/metadata';
