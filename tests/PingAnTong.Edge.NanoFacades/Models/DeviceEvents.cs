using System;
using System.Collections;
using System.Threading;

namespace PingAnTong.Edge.NanoFacades
{
    /// <summary>
    /// The thread that delivers native events to managed handlers (GpioPin.ValueChanged, serial, network
    /// change). On the device a GPIO interrupt only queues an event (PostManagedEvent); nanoCLR's single
    /// interrupt thread then runs the handlers one at a time, in order, never on the thread that changed
    /// the pin. Model of
    /// nanoframework/nf-interpreter@a3e8139a1ba778e33ca81b023099765eada6c456:src/CLR/Core/InterruptHandler/InterruptHandler.cpp
    /// (SpawnDispatcher: one m_interruptThread, queue order) and src/System.Device.Gpio/sys_dev_gpio_native_System_Device_Gpio_GpioPin.cpp (Gpio_Interupt_ISR
    /// posts EVENT_GPIO). Tests call <see cref="WaitIdle"/> to know every queued handler has returned.
    /// </summary>
    public sealed class DeviceEvents
    {
        private readonly object _queueLock = new object();
        private readonly ArrayList _queue = new ArrayList();
        private readonly AutoResetEvent _work = new AutoResetEvent(false);
        private readonly ManualResetEvent _idle = new ManualResetEvent(true);
        private Thread _thread;
        private int _running;
        private Exception _handlerFailure;

        /// <summary>The last exception a handler threw (on the device it would end up unhandled on the interrupt thread); null if none.</summary>
        public Exception HandlerFailure { get { lock (_queueLock) { return _handlerFailure; } } }

        /// <summary>Events delivered since the last reset.</summary>
        public int Delivered { get; private set; }

        /// <summary>Queues a handler call for the interrupt thread.</summary>
        internal void Post(ModelAction handler)
        {
            lock (_queueLock)
            {
                _queue.Add(handler);
                _idle.Reset();
                EnsureThread();
            }
            _work.Set();
        }

        /// <summary>Blocks until every queued event has been delivered and its handlers returned; false on timeout (real milliseconds).</summary>
        public bool WaitIdle(int timeoutMs)
        {
            return _idle.WaitOne(timeoutMs, false);
        }

        /// <summary>
        /// Drops queued events (a reboot loses them). A handler of the old boot that is still running is abandoned with
        /// its thread (it may be parked for good at its next call into the device); the next event gets a new interrupt thread.
        /// </summary>
        internal void Clear()
        {
            lock (_queueLock)
            {
                _queue.Clear();
                _handlerFailure = null;
                Delivered = 0;
                if (_running != 0)
                {
                    _thread = null;
                    _running = 0;
                }
                _idle.Set();
            }
        }

        private void EnsureThread()
        {
            if (_thread != null) return;
            _thread = new Thread(Run);
#if VIRTUAL_ESP32
            _thread.IsBackground = true;
#endif
            _thread.Start();
        }

        private void Run()
        {
            while (true)
            {
                ModelAction next = null;
                lock (_queueLock)
                {
                    if (Thread.CurrentThread != _thread) return; // abandoned by a reboot while in a handler
                    if (_queue.Count > 0)
                    {
                        next = (ModelAction)_queue[0];
                        _queue.RemoveAt(0);
                        _running = 1;
                    }
                    else
                    {
                        _running = 0;
                        _idle.Set();
                    }
                }
                if (next == null)
                {
                    _work.WaitOne();
                    continue;
                }
                try
                {
                    next();
                }
                catch (Exception e)
                {
                    lock (_queueLock) { _handlerFailure = e; }
                }
                lock (_queueLock)
                {
                    if (Thread.CurrentThread == _thread) Delivered++;
                }
            }
        }
    }
}
