/**
 * @since 0.1.0
 */

/**
 * The service with every Admin API operation, its layers and options.
 *
 * @since 0.1.0
 */
export * as AdminApi from "./AdminApi.js"

/**
 * Options, defaults, validation and the `Config` that reads the environment.
 *
 * @since 0.1.0
 */
export * as AdminApiConfig from "./AdminApiConfig.js"

/**
 * The tagged errors.
 *
 * @since 0.1.0
 */
export * as AdminApiError from "./AdminApiError.js"

/**
 * Endpoint descriptions.
 *
 * @since 0.1.0
 */
export * as Endpoint from "./Endpoint.js"

/**
 * `Page`, the pagination styles and the one pagination mechanism.
 *
 * @since 0.1.0
 */
export * as Pagination from "./Pagination.js"

/**
 * The retry policy.
 *
 * @since 0.1.0
 */
export * as Retry from "./Retry.js"

// generated:resources:start
/**
 * Schemas shared by several resources.
 *
 * @since 0.1.0
 */
export * as Common from "./resources/Common.js"

/**
 * `adminApiKeys`: `/organization/admin_api_keys`.
 *
 * @since 0.1.0
 */
export * as AdminApiKeys from "./resources/AdminApiKeys.js"

/**
 * `auditLogs`: `/organization/audit_logs`.
 *
 * @since 0.1.0
 */
export * as AuditLogs from "./resources/AuditLogs.js"

/**
 * `certificates`: `/organization/certificates`.
 *
 * @since 0.1.0
 */
export * as Certificates from "./resources/Certificates.js"

/**
 * `costs`: `/organization/costs`.
 *
 * @since 0.1.0
 */
export * as Costs from "./resources/Costs.js"

/**
 * `dataRetention`: `/organization/data_retention`.
 *
 * @since 0.1.0
 */
export * as DataRetention from "./resources/DataRetention.js"

/**
 * `groups`: `/organization/groups`.
 *
 * @since 0.1.0
 */
export * as Groups from "./resources/Groups.js"

/**
 * `groups.roles`: `/organization/groups/{group_id}/roles`.
 *
 * @since 0.1.0
 */
export * as GroupsRoles from "./resources/GroupsRoles.js"

/**
 * `groups.users`: `/organization/groups/{group_id}/users`.
 *
 * @since 0.1.0
 */
export * as GroupsUsers from "./resources/GroupsUsers.js"

/**
 * `invites`: `/organization/invites`.
 *
 * @since 0.1.0
 */
export * as Invites from "./resources/Invites.js"

/**
 * `projects`: `/organization/projects`.
 *
 * @since 0.1.0
 */
export * as Projects from "./resources/Projects.js"

/**
 * `projects.apiKeys`: `/organization/projects/{project_id}/api_keys`.
 *
 * @since 0.1.0
 */
export * as ProjectsApiKeys from "./resources/ProjectsApiKeys.js"

/**
 * `projects.certificates`: `/organization/projects/{project_id}/certificates`.
 *
 * @since 0.1.0
 */
export * as ProjectsCertificates from "./resources/ProjectsCertificates.js"

/**
 * `projects.dataRetention`: `/organization/projects/{project_id}/data_retention`.
 *
 * @since 0.1.0
 */
export * as ProjectsDataRetention from "./resources/ProjectsDataRetention.js"

/**
 * `projects.groups`: `/organization/projects/{project_id}/groups`.
 *
 * @since 0.1.0
 */
export * as ProjectsGroups from "./resources/ProjectsGroups.js"

/**
 * `projects.groups.roles`: `/projects/{project_id}/groups/{group_id}/roles`.
 *
 * @since 0.1.0
 */
export * as ProjectsGroupsRoles from "./resources/ProjectsGroupsRoles.js"

/**
 * `projects.hostedToolPermissions`: `/organization/projects/{project_id}/hosted_tool_permissions`.
 *
 * @since 0.1.0
 */
export * as ProjectsHostedToolPermissions from "./resources/ProjectsHostedToolPermissions.js"

/**
 * `projects.modelPermissions`: `/organization/projects/{project_id}/model_permissions`.
 *
 * @since 0.1.0
 */
export * as ProjectsModelPermissions from "./resources/ProjectsModelPermissions.js"

/**
 * `projects.rateLimits`: `/organization/projects/{project_id}/rate_limits`.
 *
 * @since 0.1.0
 */
export * as ProjectsRateLimits from "./resources/ProjectsRateLimits.js"

/**
 * `projects.roles`: `/projects/{project_id}/roles`.
 *
 * @since 0.1.0
 */
export * as ProjectsRoles from "./resources/ProjectsRoles.js"

/**
 * `projects.serviceAccounts`: `/organization/projects/{project_id}/service_accounts`.
 *
 * @since 0.1.0
 */
export * as ProjectsServiceAccounts from "./resources/ProjectsServiceAccounts.js"

/**
 * `projects.serviceAccounts.apiKeys`:
 * `/organization/projects/{project_id}/service_accounts/{service_account_id}/api_keys`.
 *
 * @since 0.1.0
 */
export * as ProjectsServiceAccountsApiKeys from "./resources/ProjectsServiceAccountsApiKeys.js"

/**
 * `projects.spendAlerts`: `/organization/projects/{project_id}/spend_alerts`.
 *
 * @since 0.1.0
 */
export * as ProjectsSpendAlerts from "./resources/ProjectsSpendAlerts.js"

/**
 * `projects.spendLimit`: `/organization/projects/{project_id}/spend_limit`.
 *
 * @since 0.1.0
 */
export * as ProjectsSpendLimit from "./resources/ProjectsSpendLimit.js"

/**
 * `projects.users`: `/organization/projects/{project_id}/users`.
 *
 * @since 0.1.0
 */
export * as ProjectsUsers from "./resources/ProjectsUsers.js"

/**
 * `projects.users.roles`: `/projects/{project_id}/users/{user_id}/roles`.
 *
 * @since 0.1.0
 */
export * as ProjectsUsersRoles from "./resources/ProjectsUsersRoles.js"

/**
 * `roles`: `/organization/roles`.
 *
 * @since 0.1.0
 */
export * as Roles from "./resources/Roles.js"

/**
 * `spendAlerts`: `/organization/spend_alerts`.
 *
 * @since 0.1.0
 */
export * as SpendAlerts from "./resources/SpendAlerts.js"

/**
 * `spendLimit`: `/organization/spend_limit`.
 *
 * @since 0.1.0
 */
export * as SpendLimit from "./resources/SpendLimit.js"

/**
 * `usage.audioSpeeches`: `/organization/usage/audio_speeches`.
 *
 * @since 0.1.0
 */
export * as UsageAudioSpeeches from "./resources/UsageAudioSpeeches.js"

/**
 * `usage.audioTranscriptions`: `/organization/usage/audio_transcriptions`.
 *
 * @since 0.1.0
 */
export * as UsageAudioTranscriptions from "./resources/UsageAudioTranscriptions.js"

/**
 * `usage.codeInterpreterSessions`: `/organization/usage/code_interpreter_sessions`.
 *
 * @since 0.1.0
 */
export * as UsageCodeInterpreterSessions from "./resources/UsageCodeInterpreterSessions.js"

/**
 * `usage.completions`: `/organization/usage/completions`.
 *
 * @since 0.1.0
 */
export * as UsageCompletions from "./resources/UsageCompletions.js"

/**
 * `usage.embeddings`: `/organization/usage/embeddings`.
 *
 * @since 0.1.0
 */
export * as UsageEmbeddings from "./resources/UsageEmbeddings.js"

/**
 * `usage.fileSearchCalls`: `/organization/usage/file_search_calls`.
 *
 * @since 0.1.0
 */
export * as UsageFileSearchCalls from "./resources/UsageFileSearchCalls.js"

/**
 * `usage.images`: `/organization/usage/images`.
 *
 * @since 0.1.0
 */
export * as UsageImages from "./resources/UsageImages.js"

/**
 * `usage.moderations`: `/organization/usage/moderations`.
 *
 * @since 0.1.0
 */
export * as UsageModerations from "./resources/UsageModerations.js"

/**
 * `usage.vectorStores`: `/organization/usage/vector_stores`.
 *
 * @since 0.1.0
 */
export * as UsageVectorStores from "./resources/UsageVectorStores.js"

/**
 * `usage.webSearchCalls`: `/organization/usage/web_search_calls`.
 *
 * @since 0.1.0
 */
export * as UsageWebSearchCalls from "./resources/UsageWebSearchCalls.js"

/**
 * `users`: `/organization/users`.
 *
 * @since 0.1.0
 */
export * as Users from "./resources/Users.js"

/**
 * `users.roles`: `/organization/users/{user_id}/roles`.
 *
 * @since 0.1.0
 */
export * as UsersRoles from "./resources/UsersRoles.js"
// generated:resources:end
