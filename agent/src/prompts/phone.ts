/**
 * What the agent says on the phone before the practice starts. Short sentences: on a phone line
 * the caller cannot re-read anything, and every second of speech is a second of waiting.
 */
export const phoneLines = {
  welcome: (dealershipName: string) =>
    `Welcome to ${dealershipName} practice. Please enter your practice PIN on the keypad, or say it one digit at a time.`,
  welcomeBack: (traineeName: string) => `Hi ${firstName(traineeName)}, welcome back.`,
  askAgain: 'I did not get a PIN. Please enter it on the keypad, or say it one digit at a time.',
  wrongPin: (attemptsLeft: number) =>
    `That PIN did not match. You have ${attemptsLeft === 1 ? 'one more try' : `${attemptsLeft} more tries`}.`,
  lockedOut: 'That PIN did not match again, so I will end the call here. Your manager can give you a new PIN. Goodbye.',
  noPin: 'I did not hear a PIN, so I will end the call. Call back any time. Goodbye.',
  unknownNumber: 'This number is not set up for practice. Goodbye.',
  unavailable: 'Sorry, phone practice is not available right now. Please try again later. Goodbye.',
  starting: (traineeName: string, scenario: { title: string; mode: 'coach' | 'roleplay' }) =>
    scenario.mode === 'coach'
      ? `Thanks, ${firstName(traineeName)}. Here is Adam, your coach.`
      : `Thanks, ${firstName(traineeName)}. Starting your role-play: ${scenario.title}. Your customer is on the line.`,
} as const;

function firstName(name: string): string {
  return name.trim().split(/\s+/)[0] ?? name;
}
