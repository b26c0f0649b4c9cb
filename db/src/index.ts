export * as schema from './schema';
export type { TCitation } from './schema';
export { createDb, parseDatabaseUrl, type Db, type DbHandle, type Tx } from './client';
export { migrate } from './migrate';
export { AppError, isAppError, isDatabaseUnavailable, type TAppErrorCode } from './errors';
export { findRepoRoot, dataDir } from './paths';
export { rowsOf } from './rows';
export { hashPassword, verifyPassword, checkPasswordStrength } from './passwords';
export { verifyCredentials, getDealershipUser, type TAuthUser } from './users';
export { recordAudit } from './audit';
export {
  listScenariosForDealership,
  getScenarioForDealership,
  listScenariosForBuilder,
  getScenarioForEditing,
  getScenarioOfOwner,
  type TScenarioScope,
} from './scenarios';
export { createScenario, updateScenario, archiveScenario, restoreScenario, type TScenario } from './scenario-builder';
export {
  ZScenarioInput,
  parseScenarioInput,
  describeScenarioVehicle,
  productMonthlyImpact,
  scenarioInputOf,
  OBJECTIONS_PER_SESSION,
  type TScenarioInput,
  type TScenarioContent,
  type TScenarioIssue,
} from './scenario-builder-input';
export {
  createAssignments,
  deleteAssignment,
  listAssignableTrainees,
  MAX_TRAINEES_PER_ASSIGNMENT,
  type TAssignment,
} from './assignments';
export { listAssignmentsForDealership, listAssignmentsForTrainee, type TAssignmentProgress } from './assignments-progress';
export { deriveAssignmentStatus, ASSIGNMENT_STATUSES, type TAssignmentStatus } from './assignments-status';
export {
  startPracticeSession,
  getPracticeSession,
  loadSessionForAgent,
  markSessionLive,
  endPracticeSession,
  touchSessionHeartbeat,
  failAbandonedSessions,
  HEARTBEAT_TIMEOUT_MS,
  type TPracticeSession,
} from './sessions';
export { chunkMarkdown, chunkPages, chunkPlainText, type TChunk, type TPagedChunk } from './chunking';
export { computeMonthlyPayment, computeAmountFinanced, computeNegativeEquity } from './domain/finance';
export { ZDealJacket, ZMenuProduct, ZCreditTier, type TDealJacket, type TMenuProduct } from './domain/deal-jacket';
export { ZPersona, ZPatience, ZObjections, DEFAULT_PATIENCE, type TPersona, type TPatience } from './domain/persona';
export {
  appendSessionTurn,
  recordTurnMetrics,
  listSessionTurns,
  type TSessionTurn,
  type TTurnLatency,
} from './turns';
export {
  searchKnowledge,
  backfillChunkEmbeddings,
  fuseRankings,
  type TKnowledgeHit,
  type TRetrievalLeg,
} from './retrieval';
export {
  createPendingScorecard,
  saveScorecard,
  markScorecardFailed,
  getScorecard,
  listSessionsAwaitingScorecard,
  type TScorecard,
  type TScorecardInput,
  type TScorecardWithDetails,
} from './scorecards';
export {
  getSessionForViewer,
  getSessionTranscript,
  getCitedPassage,
  type TSessionViewer,
  type TSessionView,
  type TTranscriptTurn,
  type TStoredTurnLatency,
  type TCitedPassage,
} from './session-views';
export {
  saveSessionRecording,
  listSessionRecordings,
  getSessionRecordingAudio,
  SESSION_RECORDING_MIME,
  MAX_SESSION_RECORDING_BYTES,
  type TSessionRecordingInfo,
} from './session-recordings';
export {
  listSessionsForViewer,
  listTraineesForFilter,
  SESSION_HISTORY_MAX_LIMIT,
  type TSessionHistoryFilters,
  type TSessionHistoryRow,
  type TSessionHistoryPage,
  type TTraineeOption,
} from './session-history';
export { listLiveSessions, getSessionToObserve, type TLiveSession } from './live-sessions';
export {
  createInvitation,
  acceptInvitation,
  listPendingInvitations,
  INVITATION_TTL_MS,
  type TInvitableRole,
  type TPendingInvitation,
} from './invitations';
export { requestPasswordReset, resetPassword, PASSWORD_RESET_TTL_MS } from './password-resets';
export {
  PHONE_PIN_LENGTH,
  E164,
  normalizePhoneNumber,
  generatePhonePin,
  digestPhonePin,
} from './phone-pins';
export {
  getPhoneLine,
  getPhoneLineById,
  validatePhoneLine,
  savePhoneLine,
  deletePhoneLine,
  listPhoneTrainees,
  issuePhonePin,
  setPhoneCallerId,
  type TPhoneLine,
  type TPhoneTrainee,
} from './phone-lines';
export {
  openPhoneCall,
  findTraineeByCallerId,
  checkPhonePin,
  choosePhoneScenario,
  startPhonePracticeSession,
  finishPhoneCall,
  getPhoneCall,
  MAX_PIN_ATTEMPTS,
  type TPhoneCall,
  type TPhoneCallOutcome,
  type TPhoneTraineeMatch,
} from './phone-calls';
export {
  createDocument,
  listDocuments,
  getDocument,
  deleteDocument,
  requestReindex,
  type TDocumentRow,
  type TDocumentStatus,
} from './documents';
export { inspectDocumentFile, describeKind, MAX_DOCUMENT_BYTES, DOCUMENT_TYPES, type TDocumentKind } from './document-files';
export {
  claimNextQueuedDocument,
  claimDocumentForIngestion,
  hasIngestionWork,
  touchIngestion,
  getDocumentFile,
  completeIngestion,
  failIngestion,
  INGESTION_STALE_MS,
  type TClaimedDocument,
  type TIngestedChunk,
} from './document-ingestion';
export {
  getSessionsPerWeek,
  getStepScoresPerWeek,
  getComplianceFlagsPerWeek,
  type TSessionsPerWeekRow,
  type TStepScoreRow,
  type TComplianceFlagRow,
} from './analytics';
export {
  getFirstToBest,
  getLatencyPerWeek,
  getAnalyticsSummary,
  type TFirstToBestRow,
  type TLatencyRow,
  type TAnalyticsSummary,
} from './analytics-progress';
export { assertAnalyticsRange, ANALYTICS_MAX_DAYS, type TAnalyticsScope } from './analytics-scope';
export { toCsv, type TCsvColumn } from './analytics-csv';
export { exportAnalyticsCsv, ANALYTICS_SERIES, type TAnalyticsSeries } from './analytics-export';
export {
  listDealerships,
  getDealershipStatus,
  setDealershipStatus,
  suspendDealership,
  reactivateDealership,
  type TDealershipRow,
  type TDealershipStatus,
} from './dealerships';
export { createDealership, inviteDealershipManager, DEALERSHIP_SLUG } from './dealerships-create';
export {
  getQueueDepth,
  listEmbeddingModelsInUse,
  pingDatabase,
  AWAITING_SCORECARD_COUNT_CAP,
  type TQueueDepth,
  type TEmbeddingModelUse,
} from './admin-health';
export {
  createMemoryCacheStore,
  createRedisCacheStore,
  jsonCodec,
  type TCacheStore,
  type TCached,
  type TCodec,
  type TRedisLike,
} from './cache-store';
export {
  markSessionPresent,
  clearSessionPresence,
  findPresentSessions,
  presenceKey,
  PRESENCE_TTL_MS,
  type TPresenceRedis,
} from './session-presence';
