/**
 * The editor's inputs. Each reports a field's new value as it is typed; inputs whose text is not
 * the value itself (counts, one-per-line lists) keep what is typed locally, so a half-typed line or
 * an invalid count is never rewritten under the cursor.
 */
import { useEffect, useState } from "preact/hooks";

/** A count: digits only; empty clears it. Invalid text is shown as such and not saved. */
export function CountInput(props: {
  id: string;
  label: string;
  value: number | undefined;
  readOnly: boolean;
  onChange: (value: number | undefined) => void;
}) {
  const shown = props.value === undefined ? "" : String(props.value);
  const [raw, setRaw] = useState(shown);
  const valid = /^\d{0,10}$/.test(raw.trim());
  // Follow changes from outside (a conflict settled, a reload) unless the text typed already says it.
  useEffect(() => {
    if (parseCount(raw) !== props.value) setRaw(shown);
  }, [props.value]);
  const errorId = `${props.id}-error`;
  return (
    <div class="field count">
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        type="text"
        inputMode="numeric"
        autocomplete="off"
        value={raw}
        readOnly={props.readOnly}
        aria-invalid={valid ? undefined : "true"}
        aria-describedby={valid ? undefined : errorId}
        onInput={(e) => {
          const text = e.currentTarget.value;
          setRaw(text);
          if (/^\d{0,10}$/.test(text.trim())) props.onChange(parseCount(text));
        }}
      />
      {!valid && (
        <span id={errorId} class="field-error">
          Nhập một số nguyên không âm.
        </span>
      )}
    </div>
  );
}

function parseCount(text: string): number | undefined {
  const trimmed = text.trim();
  return trimmed === "" ? undefined : Number(trimmed);
}

const linesOf = (text: string) =>
  text
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);

/** A list, one item a line. */
export function LinesInput(props: {
  id: string;
  label: string;
  hint: string;
  value: string[] | undefined;
  readOnly: boolean;
  onChange: (value: string[]) => void;
}) {
  const [raw, setRaw] = useState((props.value ?? []).join("\n"));
  useEffect(() => {
    if (linesOf(raw).join("\n") !== (props.value ?? []).join("\n")) setRaw((props.value ?? []).join("\n"));
  }, [props.value]);
  return (
    <div class="field lines">
      <label for={props.id}>{props.label}</label>
      <textarea
        id={props.id}
        rows={Math.min(8, Math.max(3, raw.split("\n").length + 1))}
        value={raw}
        readOnly={props.readOnly}
        aria-describedby={`${props.id}-hint`}
        onInput={(e) => {
          setRaw(e.currentTarget.value);
          props.onChange(linesOf(e.currentTarget.value));
        }}
      />
      <span id={`${props.id}-hint`} class="muted hint-small">
        {props.hint}
      </span>
    </div>
  );
}

/** One line of text (the document block). */
export function LineInput(props: {
  id: string;
  label: string;
  value: string | undefined;
  readOnly: boolean;
  type?: "text" | "date";
  hint?: string;
  onChange: (value: string) => void;
}) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        type={props.type ?? "text"}
        value={props.value ?? ""}
        readOnly={props.readOnly}
        aria-describedby={props.hint ? `${props.id}-hint` : undefined}
        onInput={(e) => props.onChange(e.currentTarget.value)}
      />
      {props.hint && (
        <span id={`${props.id}-hint`} class="muted hint-small">
          {props.hint}
        </span>
      )}
    </div>
  );
}
