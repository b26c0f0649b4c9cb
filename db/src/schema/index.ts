export * from './enums';
export * from './dealerships';
export * from './users';
export * from './scenarios';
export * from './practice-sessions';
export * from './scorecards';
export * from './documents';
export * from './audit-log';
