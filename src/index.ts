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
 * @since 0.1.0
 */
export * as Users from "./resources/Users.js"
/**
 * @since 0.1.0
 */
export * as ProjectsUsers from "./resources/ProjectsUsers.js"
// generated:resources:end
