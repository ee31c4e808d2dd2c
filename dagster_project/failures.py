"""What a failed monthly run tells its operator: the gate that closed, what failed, and the
delivered files and rows to look at (from the run's asset-check evaluations), or the step's own
error (a refused file names its file, row and column, yibao.ingest.errors)."""

from __future__ import annotations

import dagster as dg


def failed_gates(instance: dg.DagsterInstance, run_id: str) -> list[str]:
    """'<gate check> on <table>: <what failed> (rejected rows in <file> rows …)' for every
    blocking check of the run that failed with severity ERROR."""
    found = []
    for entry in instance.all_logs(run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION):
        event = entry.dagster_event
        evaluation = event.event_specific_data if event is not None else None
        if evaluation is None or evaluation.passed:
            continue
        if evaluation.severity != dg.AssetCheckSeverity.ERROR:
            continue
        metadata = {k: getattr(v, "value", v) for k, v in evaluation.metadata.items()}
        line = (
            f"{metadata.get('layer', '')} gate {evaluation.check_name} on "
            f"{evaluation.asset_key.to_user_string()}: {metadata.get('failed_critical', '')}"
        )
        files = metadata.get("rejected_rows_in")
        if files and files != "none":
            line += f" (rejected rows in {files})"
        found.append(line)
    return found


def failed_steps(instance: dg.DagsterInstance, run_id: str) -> list[str]:
    """'<step>: <error>' for every step of the run that failed."""
    found = []
    for entry in instance.all_logs(run_id, of_type=dg.DagsterEventType.STEP_FAILURE):
        event = entry.dagster_event
        error = getattr(event.event_specific_data, "error", None) if event is not None else None
        while error is not None and error.cause is not None and error.cls_name in (
            "DagsterExecutionStepExecutionError", "DagsterUserCodeExecutionError"
        ):  # fmt: skip
            error = error.cause
        message = error.message.strip().splitlines()[0] if error is not None else "failed"
        found.append(f"{event.step_key if event else '?'}: {message}")
    return found


def failure_summary(instance: dg.DagsterInstance, run_id: str) -> str:
    """The failed gates if a gate closed, else the failed steps."""
    return " | ".join(failed_gates(instance, run_id) or failed_steps(instance, run_id))
