"""The use cases every command shares: reading returns in isolated workers, loading an analysed chronology."""
