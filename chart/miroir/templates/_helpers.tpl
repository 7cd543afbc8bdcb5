{{/*
Names. Every object is named after the release with a fixed suffix, so node addresses are predictable
(SPEC §8.4): http://<release>-meili-<n>.<release>-meili-headless.<namespace>.svc.cluster.local:7700
*/}}
{{- define "miroir.fullname" -}}{{ .Release.Name }}-miroir{{- end }}
{{- define "miroir.headlessName" -}}{{ .Release.Name }}-miroir-headless{{- end }}
{{- define "miroir.meiliName" -}}{{ .Release.Name }}-meili{{- end }}
{{- define "miroir.meiliHeadlessName" -}}{{ .Release.Name }}-meili-headless{{- end }}
{{- define "miroir.redisName" -}}{{ .Release.Name }}-redis{{- end }}
{{- define "miroir.secretName" -}}
{{- if .Values.miroir.existingSecret }}{{ .Values.miroir.existingSecret }}{{ else }}{{ .Release.Name }}-miroir-keys{{ end }}
{{- end }}

{{/* Labels shared by every object; "component" tells miroir, meilisearch and redis apart. */}}
{{- define "miroir.labels" -}}
app.kubernetes.io/name: miroir
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ .Chart.Name }}-{{ .Chart.Version | replace "+" "_" }}
{{- end }}
{{- define "miroir.selector" -}}
app.kubernetes.io/name: miroir
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* Several Miroir pods: more than one replica, or the HPA in charge. They then form a Hazelcast cluster. */}}
{{- define "miroir.clustered" -}}
{{- if or (gt (int .Values.miroir.replicas) 1) .Values.miroir.hpa.enabled }}true{{ end }}
{{- end }}

{{/* Meilisearch nodes in Miroir's node list: nodesPerGroup x replicaGroups. */}}
{{- define "miroir.nodeCount" -}}
{{- mul (int .Values.meilisearch.nodesPerGroup) (int .Values.miroir.replicaGroups) }}
{{- end }}

{{/* Redis URL of the task store: the in-chart Redis when enabled, else taskStore.redis.url. */}}
{{- define "miroir.redisUrl" -}}
{{- if .Values.redis.enabled }}redis://{{ include "miroir.redisName" . }}:6379{{ else }}{{ .Values.taskStore.redis.url }}{{ end }}
{{- end }}
