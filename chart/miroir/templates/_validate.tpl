{{/*
Checks values.schema.json cannot express (a product of two values, a comparison of two values, the release
name). Called from configmap.yaml; a failed check stops `helm install/upgrade/template` with the message.
*/}}
{{- define "miroir.validate" -}}
{{- if gt (len .Release.Name) 40 }}
{{- fail (printf "release name %q is longer than 40 characters: object names such as <release>-miroir-headless must stay within 63" .Release.Name) }}
{{- end }}
{{- $nodes := int (include "miroir.nodeCount" .) }}
{{- if lt (int .Values.meilisearch.replicas) $nodes }}
{{- fail (printf "meilisearch.replicas (%d) must be at least meilisearch.nodesPerGroup x miroir.replicaGroups (%d)" (int .Values.meilisearch.replicas) $nodes) }}
{{- end }}
{{- if ge (int .Values.miroir.scatter.nodeTimeoutMs) (int .Values.miroir.server.requestTimeoutMs) }}
{{- fail "miroir.scatter.nodeTimeoutMs must be below miroir.server.requestTimeoutMs" }}
{{- end }}
{{- if and .Values.miroir.hpa.enabled (lt (int .Values.miroir.hpa.maxReplicas) (int .Values.miroir.hpa.minReplicas)) }}
{{- fail "miroir.hpa.maxReplicas must be at least miroir.hpa.minReplicas" }}
{{- end }}
{{- end }}
