from shop_bench.run import main

main()
