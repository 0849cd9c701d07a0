import PortDailyConfig
import PortDailyStore

extension PortDailyConfiguration {
    /// The rules the store applies under this configuration.
    var storeRules: StoreRules { StoreRules(setup: setup, calendar: calendar) }
}
