export * as z from "zod/v4";
