// Vision routing: a text-only main model (GLM-5.x) cannot take images, so before a request that holds images
// without a description, a vision model on the same provider and key describes each one for the task at hand;
// the dialect then sends the description, marked as one (src/model/dialects/common.ts). No vision model: one
// notice and the image is left out (the model is told). The descriptions' tokens ride on the answer's message_end
// (extraUsage). Wraps a ModelClient; imports types.ts and providers.ts (the client is passed in: no SDK here).
import { lookupModel } from './providers.ts';
import { servedBy } from './usage-by-model.ts';
import { addUsage, emptyUsage, type Config, type ImageData, type Message, type ModelClient, type ModelEvent, type ModelRequest, type Usage } from './types.ts';

export interface VisionRouting {
  /** Whether the main model takes images itself (then nothing is routed). */
  mainTakesImages: boolean;
  /** The vision model's id, for messages; undefined: none is configured for this provider. */
  visionModel?: string;
  /** A client for the vision model (same provider, same key). */
  visionClient?: ModelClient;
  /** One line for the user (stderr in headless runs). */
  notice: (line: string) => void;
}

/**
 * The routing for a config: the vision model runs on the same provider, URL and key as the main model, thinking
 * off (a description needs none) and a modest output limit.
 */
export function visionRoutingFor(config: Config, makeClient: (c: Config) => ModelClient, notice: (line: string) => void): VisionRouting {
  if (config.modelInfo.vision || !config.visionModel) return { mainTakesImages: config.modelInfo.vision, notice };
  const info = { ...lookupModel(config.visionModel), vision: true };
  const visionConfig: Config = { ...config, model: config.visionModel, modelInfo: info, thinking: info.thinking === 'always', maxTokens: Math.min(8192, info.maxOutput) };
  return { mainTakesImages: false, visionModel: config.visionModel, visionClient: makeClient(visionConfig), notice };
}

/** Synthetic messages that carry the images tool calls returned (src/agent.ts sendImages). */
const TOOL_IMAGES = /^The images? returned by the tool calls above/;

const DESCRIBE_SYSTEM = [
  'You describe images for a coding assistant that cannot see them.',
  'Describe everything in the image that matters for the task: all visible text verbatim (error messages, code,',
  'labels, numbers), the layout of a UI, colours and states, diagrams and charts with their values.',
  'Be factual and complete; do not solve the task, only describe what the image shows.',
].join(' ');

/** The client the session uses: `main`, with images described by the vision model first when `main` takes none. */
export function withVisionRouting(main: ModelClient, routing: VisionRouting): ModelClient {
  if (routing.mainTakesImages) return main;
  const warned = new WeakSet<ImageData>();
  return {
    async *stream(request: ModelRequest, signal: AbortSignal): AsyncIterable<ModelEvent> {
      let spent: Usage | undefined;
      for (const { image, task } of undescribed(request.messages)) {
        if (signal.aborted) break;
        if (warned.has(image)) continue;
        const described = routing.visionClient ? await describe(routing.visionClient, image, task, signal) : {};
        if (described.usage) spent = addUsage(spent ?? emptyUsage(), described.usage);
        if (image.description) continue;
        warned.add(image);
        routing.notice(leftOutLine(image, routing.visionModel, described.failure));
      }
      if (!spent) return yield* main.stream(request, signal);
      if (routing.visionModel) spent = servedBy(routing.visionModel, spent); // modelUsage names the vision model
      // The descriptions' tokens go with the answer they were made for (the session's usage and cost count them).
      for await (const event of main.stream(request, signal)) {
        yield event.type === 'message_end' ? { ...event, extraUsage: event.extraUsage ? addUsage({ ...event.extraUsage }, spent) : spent } : event;
      }
    },
  };
}

function leftOutLine(image: ImageData, visionModel: string | undefined, failure: string | undefined): string {
  if (!visionModel) {
    return `the model cannot see images and no vision model is set, so ${image.name} was left out; set "visionModel" in settings (e.g. "glm-5v-turbo") or pick a vision model with --model`;
  }
  return `${visionModel} could not describe ${image.name} (${failure ?? 'no answer'}), so it was left out`;
}

/** Images the main model would get without a description, each with the user's words it came with. */
function undescribed(messages: readonly Message[]): { image: ImageData; task: string }[] {
  const out: { image: ImageData; task: string }[] = [];
  let task = '';
  for (const m of messages) {
    if (m.role !== 'user') continue;
    if (!m.images?.length) {
      task = m.content;
      continue;
    }
    // A prompt's own words are the task; images a tool returned go with the prompt before them.
    const words = m.content && !TOOL_IMAGES.test(m.content) ? m.content : task;
    for (const image of m.images) if (!image.description && image.data) out.push({ image, task: words });
  }
  return out;
}

/** Asks the vision model; sets `image.description`, or says why it failed; with the tokens the request cost. */
async function describe(client: ModelClient, image: ImageData, task: string, signal: AbortSignal): Promise<{ failure?: string; usage?: Usage }> {
  const words = task.trim() ? `The user's request, for context:\n${task.trim().slice(0, 4000)}\n\nDescribe the attached image (${image.name}).` : `Describe the attached image (${image.name}).`;
  const request: ModelRequest = { system: DESCRIBE_SYSTEM, messages: [{ role: 'user', content: words, images: [image] }], tools: [] };
  for await (const event of client.stream(request, signal)) {
    if (event.type === 'error') return { failure: event.message };
    if (event.type === 'message_end') {
      const text = event.message.content.trim();
      if (!text) return { failure: 'an empty answer', usage: event.usage };
      image.description = text;
      return { usage: event.usage };
    }
  }
  return { failure: 'no answer' };
}
