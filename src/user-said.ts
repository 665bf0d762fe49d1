// The user's own words (a denial's reason, plan feedback) as the model gets them: one sentence, ended, so the
// instruction that follows does not run on from it ("keep the build Do not retry…"). Pure.

/** ` The user said: "…".` for feedback, or '' when there is none. */
export function userSaid(feedback: string | undefined): string {
  const said = feedback?.trim();
  if (!said) return '';
  return ` The user said: "${said}".`;
}
