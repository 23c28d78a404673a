import RVJITCommands

RVJITCommand.main()
