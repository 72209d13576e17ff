enum ZooKeeperTestSupportPlaceholder {}
