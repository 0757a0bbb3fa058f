[assembly: StateMachineMqtt.PropertyTests.Fixtures.Seeds.SeededProperties]
