-- One database per service: no service ever reads another's tables.
CREATE DATABASE shop_checkout;
CREATE DATABASE shop_pricing;
CREATE DATABASE shop_inventory;
CREATE DATABASE shop_payment;
CREATE DATABASE shop_fulfillment;
CREATE DATABASE shop_communications;
CREATE DATABASE shop_reconciliation;
CREATE DATABASE shop_returns;
