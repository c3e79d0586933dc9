package org.phrasebook.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class CarrierThreadsTest {

    @Test
    void setsTwoCarriersPerCore() {
        Properties system = new Properties();
        CarrierThreads.widen(system, 2);
        assertThat(system.getProperty(CarrierThreads.PARALLELISM)).isEqualTo("4");
    }

    @Test
    void keepsTheOperatorsSetting() {
        Properties system = new Properties();
        system.setProperty(CarrierThreads.PARALLELISM, "1");
        CarrierThreads.widen(system, 8);
        assertThat(system.getProperty(CarrierThreads.PARALLELISM)).isEqualTo("1");
    }
}
