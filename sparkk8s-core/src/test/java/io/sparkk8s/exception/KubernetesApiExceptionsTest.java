package io.sparkk8s.exception;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Each HTTP status gets the exception callers act on, as the client throws it. */
class KubernetesApiExceptionsTest {

  @Test
  void everyCodeGetsTheSdksExceptionForIt() {
    assertThat(KubernetesApiExceptions.of("get", "Pod", "jobs", "p", 0, null, "no answer", null))
        .isInstanceOf(ClusterUnreachableException.class).hasMessageContaining("no answer");
    assertThat(KubernetesApiExceptions.of("get", "Pod", "jobs", "p", 401, null, "no", null))
        .isInstanceOf(ForbiddenException.class);
    assertThat(KubernetesApiExceptions.of("get", "Pod", "jobs", "p", 403, null, "no", null))
        .isInstanceOf(ForbiddenException.class);
    assertThat(KubernetesApiExceptions.of("get", "Pod", "jobs", "p", 404, null, "gone", null))
        .isInstanceOf(NotFoundException.class);
    assertThat(KubernetesApiExceptions.of("create", "Pod", "jobs", "p", 409, null, "exists", null))
        .isInstanceOf(ConflictException.class);
    KubernetesApiException other =
        KubernetesApiExceptions.of("get", "Pod", "jobs", "p", 500, null, "boom", null);
    assertThat(other.getClass()).isEqualTo(KubernetesApiException.class);
    assertThat(other.code()).isEqualTo(500);
    assertThat(other.getMessage()).isEqualTo(
        "Operation [get] for kind [Pod] with name [p] in namespace [jobs] failed (HTTP 500): boom");
  }
}
