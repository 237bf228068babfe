import type { Hono } from "hono";
import type { AnswerService } from "../answer-service.js";
import type { AppDeps, HttpEnv } from "../deps.js";
import type { ServiceMetrics } from "../metrics.js";

/** What a route module gets: the app to add its routes to, the app's parts and the shared answer service. */
export interface RouteContext {
  app: Hono<HttpEnv>;
  deps: AppDeps;
  service: AnswerService;
  metrics: ServiceMetrics;
}
