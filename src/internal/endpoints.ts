/**
 * The tree of endpoint descriptions that `AdminApi.make` binds. It follows the URL: drop `/organization`, each
 * fixed path segment in camelCase is a level.
 *
 * @internal
 */
import * as ProjectsUsers from "../resources/ProjectsUsers.js"
import * as Users from "../resources/Users.js"

/** @internal */
export const endpoints = {
  users: Users.endpoints,
  projects: {
    users: ProjectsUsers.endpoints
  }
}
