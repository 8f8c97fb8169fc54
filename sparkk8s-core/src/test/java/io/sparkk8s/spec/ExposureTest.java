package io.sparkk8s.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkk8s.exception.InvalidDescriptionException;
import io.sparkk8s.storage.EventLog;
import io.sparkk8s.storage.NfsStorage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ExposureTest {
  static final EventLog LOGS = EventLog.to(NfsStorage.claim("shared"));

  @ParameterizedTest
  @EnumSource(value = Exposure.class, names = {"NODE_PORT", "LOAD_BALANCER"})
  void theHistoryServerIsNotExposedOutsideTheClusterWithoutAnExplicitOptIn(Exposure exposure) {
    assertThatThrownBy(() -> HistoryServer.reading(LOGS).withExposure(exposure))
        .isInstanceOf(InvalidDescriptionException.class)
        .hasMessageContaining("exposure '" + exposure + "'")
        .hasMessageContaining("asks for no login")
        .hasMessageContaining("withUnauthenticatedExposure(" + exposure + ")");
    HistoryServer open = HistoryServer.reading(LOGS).withUnauthenticatedExposure(exposure);
    assertThat(open.exposure()).isEqualTo(exposure);
    assertThat(open.allowUnauthenticatedExposure()).isTrue();
  }

  @Test
  void insideTheClusterNeedsNoOptIn() {
    assertThat(HistoryServer.reading(LOGS).exposure()).isEqualTo(Exposure.CLUSTER_IP);
    assertThat(HistoryServer.reading(LOGS).allowUnauthenticatedExposure()).isFalse();
  }

  @Test
  void networkIsolationRangesAndLabelsAreValidated() {
    assertThatThrownBy(() -> NetworkIsolation.strict().withEgressCidrs("10.0.0.0/33", "example.com")
        .withApiServerCidr("10.0.0.1").withUiClients(java.util.Map.of("app", "bad value")))
        .isInstanceOf(InvalidDescriptionException.class);
    assertThatThrownBy(() -> NetworkIsolation.builder().addEgressCidrs("10.0.0.0/33", "example.com")
        .apiServerCidr("10.0.0.1").putUiClient("app", "bad value").build())
        .isInstanceOfSatisfying(InvalidDescriptionException.class, e -> assertThat(e.problems())
            .extracting(InvalidDescriptionException.Problem::attribute)
            .contains("egressCidrs", "apiServerCidr"))
        .hasMessageContaining("egressCidrs '10.0.0.0/33'").hasMessageContaining("egressCidrs 'example.com'")
        .hasMessageContaining("apiServerCidr '10.0.0.1'");
  }
}
