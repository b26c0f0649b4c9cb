/** Where job processes find the shared voice; set by the agent worker's supervisor before it forks them. */
export const SHARED_VOICE_SOCKET_ENV = 'AGENT_VOICE_SOCKET';
