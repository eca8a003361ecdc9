/**
 * The vendors the loopback server can imitate: OpenAI (Chat Completions and Responses), Anthropic
 * (Messages) and Google Gemini (both SDKs). Each one is a profile in `vendorProfiles`; another
 * vendor means a name here and a profile below, nothing more.
 */
export type VendorName = "openai" | "anthropic" | "google";

/**
 * The name of a route the server answers, recorded on every request so a test can tell which
 * endpoint an SDK called. Named `<vendor>-<api>`: `POST /v1/chat/completions` is `openai-chat`,
 * `POST /v1/messages` `anthropic-messages`, Gemini's `:generateContent` and
 * `:streamGenerateContent` `gemini-generate` and `gemini-stream-generate`.
 */
export type RouteName =
  | "openai-chat"
  | "openai-responses"
  | "anthropic-messages"
  | "gemini-generate"
  | "gemini-stream-generate";

/** One endpoint of a vendor's HTTP API, as data. */
export interface VendorRoute {
  /** The route's name, recorded on each request it matches. */
  readonly name: RouteName;
  /** The HTTP method the endpoint takes; every model endpoint so far is a `POST`. */
  readonly method: "POST";
  /**
   * The URL path, without the query: an exact string, or a pattern for paths that carry a
   * parameter (Gemini puts the model in the path, `/v1beta/models/gemini-2.5-flash:generateContent`).
   */
  readonly path: string | RegExp;
  /**
   * Whether an event stream on this route ends with a `data: [DONE]` frame. OpenAI Chat
   * Completions sends one; the Responses API ends with a `response.completed` event instead.
   */
  readonly doneFrame: boolean;
}

/** How one vendor's API looks from the outside: where its SDK points and how it reports errors. */
export interface VendorProfile {
  /** The vendor this profile imitates. */
  readonly vendor: VendorName;
  /**
   * The path the SDK's base URL ends with. The OpenAI SDK takes `.../v1` and appends
   * `/chat/completions`; the Anthropic and Google SDKs take the bare origin and add the version.
   */
  readonly basePath: string;
  /** The endpoints the server answers for this vendor; any other method or path gets a 404. */
  readonly routes: readonly VendorRoute[];
  /**
   * Builds an error body in the vendor's own shape, so the vendor's SDK surfaces the server's
   * message (a missing route, an exhausted reply script) the way it would a real API error.
   */
  readonly errorBody: (status: number, message: string) => unknown;
}

/** Every vendor the server can imitate, by name. */
export const vendorProfiles: { readonly [Vendor in VendorName]: VendorProfile } = {
  openai: {
    vendor: "openai",
    basePath: "/v1",
    routes: [
      { name: "openai-chat", method: "POST", path: "/v1/chat/completions", doneFrame: true },
      { name: "openai-responses", method: "POST", path: "/v1/responses", doneFrame: false },
    ],
    // https://platform.openai.com/docs/guides/error-codes: `type` names the class of error; the
    // SDK reads `error.message` into `APIError.message` and keeps the rest on `APIError.error`.
    errorBody: (status, message) => ({
      error: {
        message,
        type: status >= 500 ? "server_error" : "invalid_request_error",
        param: null,
        code: null,
      },
    }),
  },
  anthropic: {
    vendor: "anthropic",
    // The Anthropic SDK takes the bare origin and appends /v1/messages.
    basePath: "",
    routes: [
      { name: "anthropic-messages", method: "POST", path: "/v1/messages", doneFrame: false },
    ],
    // https://docs.anthropic.com/en/api/errors: { type: "error", error: { type, message } }.
    errorBody: (status, message) => ({
      type: "error",
      error: { type: status >= 500 ? "api_error" : "invalid_request_error", message },
    }),
  },
  google: {
    vendor: "google",
    // Both Google SDKs take the bare origin and add /v1beta/models/{model}:{method} (@google/genai 3:
    // /v1/models/{model}:{method}, its new default); @google/genai in Vertex express mode
    // (`vertexai: true` with an API key) adds /v1beta1/publishers/google/models/{model}:{method}.
    basePath: "",
    routes: [
      {
        name: "gemini-generate",
        method: "POST",
        path: /^\/v1(beta1?)?\/(publishers\/google\/)?models\/[^/:]+:generateContent$/,
        doneFrame: false,
      },
      {
        name: "gemini-stream-generate",
        method: "POST",
        path: /^\/v1(beta1?)?\/(publishers\/google\/)?models\/[^/:]+:streamGenerateContent$/,
        doneFrame: false,
      },
    ],
    // Google APIs answer { error: { code, message, status } }.
    errorBody: (status, message) => ({
      error: { code: status, message, status: status >= 500 ? "INTERNAL" : "INVALID_ARGUMENT" },
    }),
  },
};

/** The route of `profile` that answers `method` on `path` (no query string), if there is one. */
export function findVendorRoute(
  profile: VendorProfile,
  method: string,
  path: string,
): VendorRoute | undefined {
  return profile.routes.find(
    (route) =>
      route.method === method &&
      (typeof route.path === "string" ? route.path === path : route.path.test(path)),
  );
}
