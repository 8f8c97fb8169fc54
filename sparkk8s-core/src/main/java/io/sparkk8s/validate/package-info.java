/**
 * The one place where text from callers is checked and escaped before it reaches YAML, a
 * properties file, an environment variable, a command line or a shell: {@link
 * io.sparkk8s.validate.Text} defines the kinds of text and their escaping, {@link
 * io.sparkk8s.validate.Checks} collects every broken rule of a description (field, value shown
 * redacted when it looks secret, and the rule) and throws them together, {@link
 * io.sparkk8s.validate.PropertiesText} writes {@code spark.properties} as the JDK does. The
 * descriptions of {@code io.sparkk8s.spec} and {@code io.sparkk8s.storage} check themselves with
 * these at {@code build()}; a service that takes names or conf from its own users can check them
 * with the same rules before it builds a description.
 */
package io.sparkk8s.validate;
