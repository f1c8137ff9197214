import * as z from "zod";

/** The one definition of the administrative unit codes' shapes (the registry says which exist). */
export const COMMUNE_CODE_PATTERN = /^\d{5}$/;
export const PROVINCE_CODE_PATTERN = /^\d{2}$/;

export const communeCodeSchema = z
  .string()
  .regex(COMMUNE_CODE_PATTERN, "a 5-digit commune code")
  .meta({ example: "10621" });

export const provinceCodeSchema = z
  .string()
  .regex(PROVINCE_CODE_PATTERN, "a 2-digit province code")
  .meta({ example: "30" });
