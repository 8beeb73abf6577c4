"""What merchants define: products, option sets and their versions, rules, preview layers."""
