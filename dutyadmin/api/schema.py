"""The OpenAPI schema documents the errors every operation can answer (issue 17), so clients generated from
it handle them: 400 (validation: field → messages), 401 (no or expired token), 403 (role or scope), 404 (not
found or not in scope), 409 (the state moved on: a repeat or a race; `current` is the state now) and 503
(database or broker unreachable; Retry-After). A drf-spectacular postprocessing hook."""
from __future__ import annotations

ERROR = {
    "type": "object",
    "properties": {"detail": {"type": "string", "description": "中文说明"},
                   "code": {"type": "string"}},
    "required": ["detail"],
}
VALIDATION_ERROR = {
    "type": "object",
    "description": "字段名(或 non_field_errors)→ 中文错误说明列表",
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}
CONFLICT = {
    "type": "object",
    "properties": {"detail": {"type": "string"},
                   "current": {"type": "object", "description": "当前状态(如请假的 status、step、step_label)",
                               "additionalProperties": True}},
    "required": ["detail", "current"],
}
RESPONSES = {
    "400": ("请求有误:字段校验不通过,未作任何改动。", "ValidationError"),
    "401": ("未登录,或登录令牌无效、已过期。", "Error"),
    "403": ("您的角色或范围不允许这项操作。", "Error"),
    "404": ("不存在,或不在您的查看范围内。", "Error"),
    "409": ("状态已变化(重复提交或他人已先办理),未重复办理;current 为当前状态。", "Conflict"),
    "503": ("服务暂时不可用(数据库或任务队列无法连接),请按 Retry-After 稍后重试。", "Error"),
}
WRITES = {"post", "put", "patch", "delete"}


def document_errors(result, generator, request, public):
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault("Error", ERROR)
    components.setdefault("ValidationError", VALIDATION_ERROR)
    components.setdefault("Conflict", CONFLICT)
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            for code, (description, schema) in RESPONSES.items():
                if code in responses:
                    continue
                if code == "409" and method not in WRITES:
                    continue
                if code == "404" and "{" not in path and method not in WRITES:
                    continue
                if code == "400" and method == "delete":
                    continue
                responses[code] = {"description": description, "content": {
                    "application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}}}
    return result
