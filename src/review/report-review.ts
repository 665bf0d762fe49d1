// The ReportReview tool: how a review session hands back its verdict. Not a built-in tool: only review sessions
// get it. Imports the tool contract and zod; never the loop, session or a front end.
import { z } from 'zod';
import { defineTool, type AnyToolDef } from '../tool.ts';
import description from './report-review.md';
import { SEVERITIES, type Severity } from './severity.ts';

export { SEVERITIES, type Severity };

const findingSchema = z.object({
  file: z.string().describe('Path of the file, as shown in the diff'),
  line: z.number().int().min(0).describe('Line in the new version of the file; 0 for the whole file'),
  severity: z.enum(SEVERITIES).describe('error, warning or info'),
  message: z.string().describe('What is wrong and how to fix it, in one or two sentences'),
});

const schema = z.object({
  verdict: z.enum(['pass', 'fail']).describe('"fail" when there is at least one error finding'),
  summary: z.string().describe('One or two sentences about the change'),
  findings: z.array(findingSchema).describe('Concrete problems in the changed lines; [] when none'),
});

export type Finding = z.infer<typeof findingSchema>;
export type ReviewReport = z.infer<typeof schema>;

/** A ReportReview tool that hands each report to `onReport` (the review ends there). */
export function createReportReviewTool(onReport: (report: ReviewReport) => void): AnyToolDef {
  return defineTool({
    name: 'ReportReview',
    kind: 'meta',
    keep: 'head',
    description,
    schema,
    title: (a) => `ReportReview ${a.verdict} (${a.findings.length} finding${a.findings.length === 1 ? '' : 's'})`,
    async execute(args) {
      const findings = args.findings.map((f) => ({ ...f, file: f.file.trim(), message: f.message.trim() }));
      onReport({ verdict: args.verdict, summary: args.summary.trim(), findings });
      return { output: 'Review recorded. You are done: do not reply further.' };
    },
  });
}
